using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// A RabbitMQ node of the caller's own (own node name, ports, data and log directories under
/// /tmp, loopback only, no plugins), so a run never touches another broker and starts clean.
/// Used by <c>qi bench</c> and by the integration tests' broker fixture.
/// </summary>
public sealed class PrivateBroker : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly BrokerNode _node;

    private PrivateBroker(BrokerNode node) => _node = node;

    public string ConnectionString => _node.ConnectionString;

    public string NodeName => _node.NodeName;

    public int Port => _node.Port;

    public bool HasExited => !_node.IsRunning;

    /// <summary>Whether a rabbitmq-server this class can run is installed.</summary>
    public static bool IsInstalled => BrokerNode.IsInstalled;

    /// <summary>CPU seconds the node's Erlang VM has used so far (10 ms ticks); null when it cannot be read.</summary>
    public double? CpuSeconds() => _node.VmCpuSeconds();

    /// <summary>
    /// Starts node <c>&lt;<paramref name="name"/>&gt;@localhost</c> on <paramref name="port"/> (0: any free
    /// port) and checks that what answers there is this node.
    /// </summary>
    public static async Task<PrivateBroker> StartAsync(string name, int port, CancellationToken cancellationToken)
    {
        // Another broker on the port would be silently benchmarked (and purged) instead of ours: refuse.
        port = port == 0 ? BrokerNode.FreePort() : port;
        if (!BrokerNode.IsFree(port))
        {
            throw new LoadInputException($"port {port} is already in use (another broker?): pass another --broker-port, or 0 for any free port");
        }

        string directory = Path.Combine(Path.GetTempPath(), $"{name}-broker");
        // HOME is the node's own directory: Erlang creates the node's cookie there on first start.
        var node = new BrokerNode($"{name}@localhost", port, directory, home: directory, configuration: string.Empty);
        var broker = new PrivateBroker(node);
        try
        {
            node.Launch();
            await node.WaitUntilListeningAsync(StartTimeout, cancellationToken);
            await broker.CheckIdentityAsync(cancellationToken);
            return broker;
        }
        catch (Exception)
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs rabbitmqctl against this node and returns its standard output; throws when it fails.</summary>
    public Task<string> ControlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        _node.ControlAsync(arguments, cancellationToken);

    /// <summary>Copies the node's log files into <paramref name="destination"/> before the node's directory goes away.</summary>
    public void KeepLogs(string destination, string prefix) => _node.KeepLogs(destination, prefix);

    public async ValueTask DisposeAsync()
    {
        await _node.StopAsync(TimeSpan.FromSeconds(45));
        await _node.KillIfRunningAsync();
        try
        {
            Directory.Delete(_node.Directory, recursive: true);
        }
        catch (IOException)
        {
            // Leftover data of a stopped node under /tmp: harmless.
        }
    }

    /// <summary>RabbitMQ names its cluster after its first node: the answer proves whose broker this is.</summary>
    private async Task CheckIdentityAsync(CancellationToken cancellationToken)
    {
        string? cluster = await BrokerNode.ReadClusterNameAsync(ConnectionString, cancellationToken);
        // The cluster name carries the machine's host name where the node name says localhost: compare the unique part.
        if (cluster?.Split('@')[0] != NodeName.Split('@')[0])
        {
            throw new InvalidOperationException($"the broker on {ConnectionString} is '{cluster}', not the node just started ('{NodeName}')");
        }
    }
}
