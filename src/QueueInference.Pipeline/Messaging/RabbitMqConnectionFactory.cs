using System.Net.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace QueueInference.Pipeline.Messaging;

/// <summary>
/// Creates named connections to any of the hosts of <c>RabbitMQ:ConnectionString</c>. Consumers and
/// publishers get separate connections so that broker flow control on publishing never stalls
/// deliveries and acks (https://www.rabbitmq.com/docs/connections#flow-control).
/// </summary>
public sealed partial class RabbitMqConnectionFactory(IOptions<RabbitMQOptions> options, ILogger<RabbitMqConnectionFactory> logger)
{
    private readonly RabbitMQOptions _options = options.Value;
    private int _warned;

    public string RedactedEndpoint => ConnectionStrings.Redact(_options.ConnectionString);

    /// <summary>
    /// A connection the client recovers by itself (<paramref name="selfRecovering"/>), or one whose loss its
    /// owner handles: the worker's consumer rebuilds its consumers under its own admission rules instead.
    /// </summary>
    public Task<IConnection> CreateConnectionAsync(string purpose, CancellationToken cancellationToken, bool selfRecovering = true)
    {
        BrokerAddress address = Address;
        ConnectionFactory factory = CreateFactory(purpose, address);
        factory.AutomaticRecoveryEnabled = selfRecovering;
        factory.TopologyRecoveryEnabled = selfRecovering;
        return factory.CreateConnectionAsync(address.Endpoints(factory), cancellationToken);
    }

    private BrokerAddress Address => BrokerAddress.TryParse(_options.ConnectionString, out BrokerAddress? address)
        ? address
        : throw new InvalidOperationException($"RabbitMQ:ConnectionString is not an amqp:// or amqps:// URI: {RedactedEndpoint}");

    private ConnectionFactory CreateFactory(string purpose, BrokerAddress address)
    {
        var factory = new ConnectionFactory
        {
            Uri = address.FirstHost,
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
