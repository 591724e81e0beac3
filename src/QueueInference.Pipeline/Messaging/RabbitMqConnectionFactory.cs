using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace QueueInference.Pipeline.Messaging;

/// <summary>
/// Creates named, self-recovering connections. Consumers and publishers get separate connections
/// so that broker flow control on publishing never stalls deliveries and acks
/// (https://www.rabbitmq.com/docs/connections#flow-control).
/// </summary>
public sealed class RabbitMqConnectionFactory(IOptions<RabbitMQOptions> options)
{
    private readonly RabbitMQOptions _options = options.Value;

    public string RedactedEndpoint => ConnectionStrings.Redact(_options.ConnectionString);

    public Task<IConnection> CreateConnectionAsync(string purpose, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(_options.ConnectionString),
            ClientProvidedName = $"{_options.ClientName}-{purpose}@{Environment.MachineName}",
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(2),
            RequestedHeartbeat = TimeSpan.FromSeconds(30),
        };
        return factory.CreateConnectionAsync(cancellationToken);
    }
}
