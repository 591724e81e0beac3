using RabbitMQ.Client;

namespace QueueInference.Cli.LoadTesting;

/// <summary>Connections of a tool run, named after the run so they can be told apart in the management UI.</summary>
public static class BrokerConnections
{
    public static Task<IConnection> OpenAsync(string connectionString, string name, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(connectionString),
            ClientProvidedName = name,
            // A load run reports what happened; reconnecting silently would hide lost messages.
            AutomaticRecoveryEnabled = false,
            RequestedHeartbeat = TimeSpan.FromSeconds(30),
        };
        return factory.CreateConnectionAsync(cancellationToken);
    }
}
