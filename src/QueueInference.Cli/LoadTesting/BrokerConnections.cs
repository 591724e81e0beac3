using QueueInference.Pipeline.Messaging;
using RabbitMQ.Client;

namespace QueueInference.Cli.LoadTesting;

/// <summary>Connections of a tool run, named after the run so they can be told apart in the management UI.</summary>
public static class BrokerConnections
{
    /// <summary>How soon a recovering connection tries again: the benchmark's outages last seconds.</summary>
    public static readonly TimeSpan RecoveryInterval = TimeSpan.FromSeconds(1);

    /// <param name="connectionString">An AMQP URI, or a cluster's nodes as a host list (<see cref="BrokerAddress"/>): the client tries them in random order.</param>
    public static Task<IConnection> OpenAsync(string connectionString, string name, CancellationToken cancellationToken) =>
        // A load run reports what happened; reconnecting silently would hide lost messages.
        Connect(connectionString, name, recover: false, cancellationToken);

    /// <summary>
    /// A connection that the client library reopens after the broker closed it or went away, with its
    /// queues and consumers (automatic and topology recovery): for a reply collector that must outlive a
    /// broker blip, where the worker, not the load tester, is under test. Given a host list, it recovers to
    /// whichever of the nodes is up: a reply collector that outlives the loss of a cluster node.
    /// </summary>
    public static Task<IConnection> OpenRecoveringAsync(string connectionString, string name, CancellationToken cancellationToken) =>
        Connect(connectionString, name, recover: true, cancellationToken);

    private static Task<IConnection> Connect(string connectionString, string name, bool recover, CancellationToken cancellationToken)
    {
        // Parsed as the worker parses RabbitMQ:ConnectionString.
        if (!BrokerAddress.TryParse(connectionString, out BrokerAddress? address))
        {
            throw new ArgumentException($"not an amqp:// or amqps:// URI: {ConnectionStrings.Redact(connectionString)}", nameof(connectionString));
        }

        var factory = new ConnectionFactory
        {
            Uri = address.FirstHost,
            ClientProvidedName = name,
            AutomaticRecoveryEnabled = recover,
            TopologyRecoveryEnabled = recover,
            NetworkRecoveryInterval = RecoveryInterval,
            RequestedHeartbeat = TimeSpan.FromSeconds(30),
        };
        return factory.CreateConnectionAsync(address.Endpoints(factory), cancellationToken);
    }
}
