using QueueInference.Cli.Benchmarking;
using RabbitMQ.Client;
using Xunit;

namespace QueueInference.Testing;

/// <summary>
/// A three-node RabbitMQ cluster of the test run's own (<see cref="PrivateCluster"/>: own node names,
/// ports, data directories and Erlang cookie, loopback only), started once per test collection. Unlike
/// <see cref="TestBroker"/> it cannot use a broker at <c>RABBITMQ_TEST_URL</c>: its tests kill and restart nodes.
/// Tests that stop or kill a node bring it back before they end, so the next test finds every node running.
/// </summary>
public sealed class TestCluster : IAsyncLifetime
{
    private PrivateCluster? _cluster;

    public PrivateCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not started.");

    /// <summary>All nodes, comma-separated hosts: the connection string the worker is given.</summary>
    public string AmqpUrl => Cluster.ConnectionString;

    public int NodeCount => Cluster.NodeCount;

    public async Task InitializeAsync()
    {
        if (!PrivateCluster.IsInstalled)
        {
            throw new InvalidOperationException(
                "rabbitmq-server is not installed, so the cluster tests cannot start their three private nodes " +
                "(RABBITMQ_TEST_URL cannot stand in: these tests kill and restart nodes). " +
                "Install it (as root: apt-get update && apt-get install -y rabbitmq-server).");
        }

        _cluster = await PrivateCluster.StartAsync($"qicl{Environment.ProcessId}{Guid.NewGuid():N}"[..20]);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>A connection to node <paramref name="node"/> only, without automatic recovery, so a test sees every drop.</summary>
    public async Task<IConnection> ConnectAsync(int node, string name = "test")
    {
        var factory = new ConnectionFactory { Uri = new Uri(Cluster.NodeConnectionString(node)), ClientProvidedName = name, AutomaticRecoveryEnabled = false };
        return await factory.CreateConnectionAsync();
    }

    /// <summary>Brings back every node that a test (or a failed one) left stopped or killed.</summary>
    public Task RestoreAsync() => Cluster.RestoreAsync();
}
