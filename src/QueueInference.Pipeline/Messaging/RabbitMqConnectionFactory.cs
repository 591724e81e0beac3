using System.Net.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace QueueInference.Pipeline.Messaging;

/// <summary>
/// Creates named, self-recovering connections. Consumers and publishers get separate connections
/// so that broker flow control on publishing never stalls deliveries and acks
/// (https://www.rabbitmq.com/docs/connections#flow-control).
/// </summary>
public sealed partial class RabbitMqConnectionFactory(IOptions<RabbitMQOptions> options, ILogger<RabbitMqConnectionFactory> logger)
{
    private readonly RabbitMQOptions _options = options.Value;
    private int _warned;

    public string RedactedEndpoint => ConnectionStrings.Redact(_options.ConnectionString);

    public Task<IConnection> CreateConnectionAsync(string purpose, CancellationToken cancellationToken) =>
        CreateFactory(purpose).CreateConnectionAsync(cancellationToken);

    internal ConnectionFactory CreateFactory(string purpose)
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

        if (factory.Ssl.Enabled)
        {
            // For amqps URIs the client accepts a certificate issued for another host by default;
            // validate fully unless the operator explicitly opted out.
            factory.Ssl.AcceptablePolicyErrors = SslPolicyErrors.None;
            if (_options.TlsAllowInvalidCertificates)
            {
                factory.Ssl.AcceptablePolicyErrors = SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable;
                if (Interlocked.Exchange(ref _warned, 1) == 0)
                {
                    LogInsecureTls(logger, RedactedEndpoint);
                }
            }
        }

        return factory;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ:TlsAllowInvalidCertificates is on: the certificate of {Endpoint} is not validated, so the connection is not protected against interception")]
    private static partial void LogInsecureTls(ILogger logger, string endpoint);
}
