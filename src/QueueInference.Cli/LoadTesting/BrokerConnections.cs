using RabbitMQ.Client;

namespace QueueInference.Cli.LoadTesting;

/// <summary>Connections of a tool run, named after the run so they can be told apart in the management UI.</summary>
public static class BrokerConnections
{
    /// <summary>How soon a recovering connection tries again: the benchmark's outages last seconds.</summary>
    public static readonly TimeSpan RecoveryInterval = TimeSpan.FromSeconds(1);

    public static Task<IConnection> OpenAsync(string connectionString, string name, CancellationToken cancellationToken) =>
        // A load run reports what happened; reconnecting silently would hide lost messages.
        Factory(connectionString, name, recover: false).CreateConnectionAsync(cancellationToken);

    /// <summary>
    /// A connection that the client library reopens after the broker closed it or went away, with its
    /// queues and consumers (automatic and topology recovery): for a reply collector that must outlive a
    /// broker blip, where the worker, not the load tester, is under test.
    /// </summary>
    public static Task<IConnection> OpenRecoveringAsync(string connectionString, string name, CancellationToken cancellationToken) =>
        Factory(connectionString, name, recover: true).CreateConnectionAsync(cancellationToken);

    private static ConnectionFactory Factory(string connectionString, string name, bool recover) => new()
    {
        Uri = new Uri(connectionString),
        ClientProvidedName = name,
        AutomaticRecoveryEnabled = recover,
        TopologyRecoveryEnabled = recover,
        NetworkRecoveryInterval = RecoveryInterval,
        RequestedHeartbeat = TimeSpan.FromSeconds(30),
    };
}
