using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using QueueInference.Cli.LoadTesting;
using RabbitMQ.Client;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// A RabbitMQ cluster of the caller's own: <see cref="NodeCount"/> nodes <c>&lt;prefix&gt;-&lt;i&gt;@localhost</c>
/// on 127.0.0.1, each with its own AMQP and distribution ports and data and log directories under the
/// temp directory, no plugins, one Erlang cookie of their own. Nodes can be killed, stopped and
/// restarted, for the integration tests' failure scenarios and for <c>qi bench</c> on quorum queues.
/// </summary>
public sealed partial class PrivateCluster : IAsyncDisposable
{
    public const int DefaultNodeCount = 3;

    /// <summary>Per boot wave; a node boots in about 6 s of CPU, so this leaves room for a loaded CI machine.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(30);

    private readonly BrokerNode[] _nodes;
    private readonly bool[] _appStopped;
    private readonly string _directory;
    private readonly string _clusterName;

    private PrivateCluster(BrokerNode[] nodes, string directory, string clusterName)
    {
        _nodes = nodes;
        _appStopped = new bool[nodes.Length];
        _directory = directory;
        _clusterName = clusterName;
        // System.Uri cannot hold several hosts, so this form is built (and must be parsed) as a plain string.
        ConnectionString = $"amqp://guest:guest@{string.Join(',', nodes.Select(node => $"127.0.0.1:{node.Port}"))}/";
    }

    /// <summary>Every node in one URI, hosts comma-separated: <c>amqp://guest:guest@127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3/</c>.</summary>
    public string ConnectionString { get; }

    public int NodeCount => _nodes.Length;

    public IReadOnlyList<string> NodeNames => [.. _nodes.Select(node => node.NodeName)];

    public IReadOnlyList<int> Ports => [.. _nodes.Select(node => node.Port)];

    /// <summary>How long <see cref="StartAsync"/> took, from launching the nodes to a checked cluster.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Whether a rabbitmq-server this class can run is installed.</summary>
    public static bool IsInstalled => BrokerNode.IsInstalled;

    /// <summary>Single-host connection string of node <paramref name="node"/>.</summary>
    public string NodeConnectionString(int node) => Node(node).ConnectionString;

    /// <summary>Whether node <paramref name="node"/>'s Erlang VM runs (its app may still be stopped by <see cref="StopAppAsync"/>).</summary>
    public bool IsRunning(int node) => Node(node).IsRunning;

    /// <summary>Directory of node <paramref name="node"/>'s log files.</summary>
    public string LogDirectory(int node) => Node(node).LogDirectory;

    /// <summary>
    /// Starts <paramref name="nodeCount"/> nodes and forms one cluster: node 0 boots as a new cluster, then
    /// the others boot together, find node 0 through classic-config peer discovery and join it, one at a
    /// time under the discovery lock. Then checks every node's identity and that node 0 sees all of them
    /// running. On any failure every node is stopped and the directories are deleted.
    /// </summary>
    public static async Task<PrivateCluster> StartAsync(string prefix, int nodeCount = DefaultNodeCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodeCount, 1);
        var stopwatch = Stopwatch.StartNew();
        string directory = Path.Combine(Path.GetTempPath(), $"{prefix}-cluster");
        if (Directory.Exists(directory))
        {
            // Data of an earlier run under the same prefix would make node 0 boot into that run's cluster.
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        WriteCookie(directory);

        string firstNode = $"{prefix}-0@localhost";
        var ports = new HashSet<int>();
        var nodes = new BrokerNode[nodeCount];
        for (int i = 0; i < nodeCount; i++)
        {
            int port;
            do
            {
                port = BrokerNode.FreePort();
            }
            while (!ports.Add(port));

            string name = $"{prefix}-{i}@localhost";
            nodes[i] = new BrokerNode(name, port, Path.Combine(directory, $"node-{i}"), home: directory, Configuration(prefix, i == 0 ? null : firstNode, name));
        }

        var cluster = new PrivateCluster(nodes, directory, prefix);
        try
        {
            // A node that joins node 0 while node 0 still migrates its new tables to the current feature flags
            // fails to boot (schema_integrity_check_failed: 2 of about 15 all-at-once starts on a loaded machine
            // here): the others start once node 0 is fully up, and join it one at a time.
            nodes[0].Launch();
            await nodes[0].WaitUntilListeningAsync(StartTimeout, cancellationToken);
            foreach (BrokerNode node in nodes.Skip(1))
            {
                node.Launch();
            }

            await Task.WhenAll(nodes.Skip(1).Select(node => node.WaitUntilListeningAsync(StartTimeout, cancellationToken)));
            await Task.WhenAll(nodes.Select(node => cluster.CheckIdentityAsync(node, cancellationToken)));
            await cluster.CheckMembershipAsync(0, cancellationToken);
            cluster.StartupTime = stopwatch.Elapsed;
            return cluster;
        }
        catch (Exception)
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs rabbitmqctl against node <paramref name="node"/>, or against the first serving node when null.</summary>
    public Task<string> ControlAsync(IEnumerable<string> arguments, int? node = null, CancellationToken cancellationToken = default) =>
        (node is { } index ? Node(index) : FirstServing()).ControlAsync(arguments, cancellationToken);

    /// <summary>Runs another CLI tool (rabbitmq-queues, rabbitmq-diagnostics) like <see cref="ControlAsync"/>.</summary>
    public Task<string> RunToolAsync(string tool, IEnumerable<string> arguments, int? node = null, CancellationToken cancellationToken = default) =>
        (node is { } index ? Node(index) : FirstServing()).RunToolAsync(tool, arguments, cancellationToken);

    /// <summary>
    /// SIGKILL of node <paramref name="node"/>'s Erlang VM: no graceful shutdown, its connections drop at
    /// once and its peers see it down at once. Returns the VM's former process id.
    /// </summary>
    public Task<int> KillNodeAsync(int node) => Node(node).KillAsync();

    /// <summary>
    /// Graceful stop of node <paramref name="node"/> (<c>rabbitmqctl stop</c>: the app, then the VM), as on a
    /// pod's SIGTERM. Throws when the node had to be killed instead.
    /// </summary>
    public async Task StopNodeAsync(int node)
    {
        if (!await Node(node).StopAsync(StopTimeout))
        {
            throw new InvalidOperationException($"{Node(node).NodeName} did not stop gracefully within {StopTimeout.TotalSeconds:F0} s and was killed. {Node(node).Diagnostics()}");
        }
    }

    /// <summary><c>rabbitmqctl stop_app</c>: the node's VM stays up but it serves nothing until <see cref="StartNodeAsync"/>.</summary>
    public async Task StopAppAsync(int node, CancellationToken cancellationToken = default)
    {
        await Node(node).ControlAsync(["stop_app"], cancellationToken);
        _appStopped[node] = true;
    }

    /// <summary>
    /// Brings node <paramref name="node"/> back: restarts a killed or stopped node from its data (it rejoins
    /// the cluster by itself), or runs start_app on a node whose app was stopped; then waits until it listens
    /// and sees every running node, itself included, as running members of its cluster.
    /// </summary>
    public async Task StartNodeAsync(int node, CancellationToken cancellationToken = default)
    {
        BrokerNode target = Node(node);
        if (target.IsRunning)
        {
            await target.ControlAsync(["start_app"], cancellationToken);
        }
        else
        {
            target.Launch();
        }

        _appStopped[node] = false;
        await target.WaitUntilListeningAsync(StartTimeout, cancellationToken);
        await CheckIdentityAsync(target, cancellationToken);
        await CheckMembershipAsync(node, cancellationToken);
    }

    /// <summary>Brings back, one after another, every node that is down or whose app is stopped.</summary>
    public async Task RestoreAsync(CancellationToken cancellationToken = default)
    {
        for (int node = 0; node < _nodes.Length; node++)
        {
            if (!_nodes[node].IsRunning || !await BrokerNode.IsListeningAsync(_nodes[node].Port, cancellationToken))
            {
                await StartNodeAsync(node, cancellationToken);
            }
        }
    }

    /// <summary><c>rabbitmqctl close_all_connections --global</c> on every serving node: every client connection is closed by the broker.</summary>
    public Task CloseAllConnectionsAsync(string reason = "closed by the test fixture", CancellationToken cancellationToken = default) =>
        Task.WhenAll(Serving().Select(node => node.ControlAsync(["close_all_connections", "--global", reason], cancellationToken)));

    /// <summary>
    /// The node a client connection whose client-provided name starts with <paramref name="connectionNamePrefix"/>
    /// is connected to (the worker names its connections <c>queue-inference-consumer@&lt;machine&gt;</c> and
    /// <c>queue-inference-publisher@&lt;machine&gt;</c>); null when there is none. Throws when such connections
    /// are on different nodes.
    /// </summary>
    public async Task<int?> NodeOfConnectionAsync(string connectionNamePrefix, CancellationToken cancellationToken = default)
    {
        SortedSet<int> nodes = [.. (await ConnectionNodesAsync(cancellationToken))
            .Where(connection => connection.Name.StartsWith(connectionNamePrefix, StringComparison.Ordinal))
            .Select(connection => connection.Node)];
        return nodes.Count switch
        {
            0 => null,
            1 => nodes.Min,
            _ => throw new InvalidOperationException($"connections named '{connectionNamePrefix}…' are on nodes {string.Join(", ", nodes)}"),
        };
    }

    /// <summary>Every client connection with a client-provided name, and the node it is connected to (one <c>rabbitmqctl list_connections</c>).</summary>
    public async Task<IReadOnlyList<(string Name, int Node)>> ConnectionNodesAsync(CancellationToken cancellationToken = default)
    {
        string json = await ControlAsync(["list_connections", "-q", "--formatter", "json", "port", "client_properties"], cancellationToken: cancellationToken);
        var connections = new List<(string, int)>();
        foreach (JsonElement connection in JsonDocument.Parse(json).RootElement.EnumerateArray())
        {
            if (ClientProvidedName(connection.GetProperty("client_properties")) is { } name)
            {
                // Each node listens on its own port: the server-side port names the node.
                int port = connection.GetProperty("port").GetInt32();
                int node = Array.FindIndex(_nodes, candidate => candidate.Port == port);
                connections.Add((name, node >= 0 ? node : throw new InvalidOperationException($"connection '{name}' is on port {port}, which is none of this cluster's")));
            }
        }

        return connections;
    }

    /// <summary>Declares a durable quorum queue through node <paramref name="node"/> (its leader starts there), with any further arguments.</summary>
    public async Task DeclareQuorumQueueAsync(string name, IDictionary<string, object?>? arguments = null, int node = 0, CancellationToken cancellationToken = default)
    {
        var all = new Dictionary<string, object?>(arguments ?? new Dictionary<string, object?>()) { ["x-queue-type"] = "quorum" };
        await using IConnection connection = await BrokerConnections.OpenAsync(Node(node).ConnectionString, "qi-cluster-declare", cancellationToken);
        await using IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false, all, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Ready and unacknowledged messages of queue <paramref name="name"/> (vhost /), exact at the time of the
    /// call, asked of a running node; works while nodes are down as long as the queue has a leader. Retries
    /// while a quorum queue elects one.
    /// </summary>
    public async Task<(long Ready, long Unacked)> QueueCountsAsync(string name, CancellationToken cancellationToken = default)
    {
        QueueState state = await QueueStateAsync(name, cancellationToken);
        return (state.Ready, state.Unacked);
    }

    /// <summary>The node that leads quorum queue <paramref name="name"/> (for a classic queue: the node it lives on).</summary>
    public async Task<int> QueueLeaderAsync(string name, CancellationToken cancellationToken = default)
    {
        QueueState state = await QueueStateAsync(name, cancellationToken);
        int node = Array.FindIndex(_nodes, candidate => candidate.NodeName == state.Leader);
        return node >= 0 ? node : throw new InvalidOperationException($"queue {name} is led by {state.Leader}, which is none of this cluster's nodes");
    }

    /// <summary>The nodes that <c>rabbitmqctl cluster_status</c>, asked of node <paramref name="askedNode"/>, lists as running.</summary>
    public async Task<IReadOnlyList<string>> RunningNodesAsync(int askedNode, CancellationToken cancellationToken = default)
    {
        string json = await Node(askedNode).ControlAsync(["cluster_status", "--formatter", "json"], cancellationToken);
        return [.. JsonDocument.Parse(json).RootElement.GetProperty("running_nodes").EnumerateArray().Select(node => node.GetString()!)];
    }

    /// <summary>Copies every node's log files into <paramref name="destination"/>.</summary>
    public void KeepLogs(string destination, string prefix)
    {
        for (int i = 0; i < _nodes.Length; i++)
        {
            _nodes[i].KeepLogs(destination, $"{prefix}-node{i}");
        }
    }

    /// <summary>Kills every node (its data is deleted next, so a graceful stop would only cost time) and deletes the directories.</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_nodes.Select(node => node.KillIfRunningAsync()));
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Leftover data of stopped nodes under the temp directory: harmless.
        }
    }

    private BrokerNode Node(int node) =>
        node >= 0 && node < _nodes.Length ? _nodes[node] : throw new ArgumentOutOfRangeException(nameof(node), node, $"the cluster has nodes 0..{_nodes.Length - 1}");

    /// <summary>The nodes whose VM runs and whose app was not stopped.</summary>
    private IEnumerable<BrokerNode> Serving() => _nodes.Where((node, index) => node.IsRunning && !_appStopped[index]);

    private BrokerNode FirstServing() =>
        Serving().FirstOrDefault() ?? throw new InvalidOperationException("no node of the cluster is running");

    /// <summary>
    /// Node 0 starts a new cluster (no discovery, so no discovery lock: with its own name listed, node 0
    /// waited two minutes for the lock a joining node held while it retried). The others list node 0.
    /// </summary>
    private static string Configuration(string clusterName, string? seedNode, string self)
    {
        var configuration = new StringBuilder();
        // Every node announces this name to clients: proof that what answers on a port is one of ours.
        configuration.AppendLine(CultureInfo.InvariantCulture, $"cluster_name = {clusterName}");
        if (seedNode is not null)
        {
            configuration.AppendLine("cluster_formation.peer_discovery_backend = classic_config");
            configuration.AppendLine(CultureInfo.InvariantCulture, $"cluster_formation.classic_config.nodes.1 = {seedNode}");
            configuration.AppendLine(CultureInfo.InvariantCulture, $"cluster_formation.classic_config.nodes.2 = {self}");
            configuration.AppendLine("cluster_formation.discovery_retry_limit = 120");
            configuration.AppendLine("cluster_formation.discovery_retry_interval = 500");
        }

        return configuration.ToString();
    }

    /// <summary>The cluster's own Erlang cookie in its HOME; Erlang refuses a cookie file others can read.</summary>
    private static void WriteCookie(string home)
    {
        string path = Path.Combine(home, ".erlang.cookie");
        File.Delete(path);
        File.WriteAllText(path, RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 32));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead);
        }
    }

    private async Task CheckIdentityAsync(BrokerNode node, CancellationToken cancellationToken)
    {
        string? cluster = await BrokerNode.ReadClusterNameAsync(node.ConnectionString, cancellationToken);
        if (cluster != _clusterName)
        {
            throw new InvalidOperationException($"the broker on {node.ConnectionString} is of cluster '{cluster}', not '{_clusterName}' ({node.NodeName})");
        }
    }

    /// <summary>Node <paramref name="askedNode"/> must list itself and every other serving node as running members.</summary>
    private async Task CheckMembershipAsync(int askedNode, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> running = await RunningNodesAsync(askedNode, cancellationToken);
        string[] missing = [.. Serving().Where(node => !running.Contains(node.NodeName)).Select(node => node.NodeName)];
        if (missing.Length > 0)
        {
            throw new InvalidOperationException(
                $"{_nodes[askedNode].NodeName} sees [{string.Join(", ", running)}] running, not {string.Join(", ", missing)}. {string.Join(" ", missing.Select(name => _nodes.First(node => node.NodeName == name).Diagnostics()))}");
        }
    }

    private static string? ClientProvidedName(JsonElement clientProperties)
    {
        // rabbitmqctl's JSON renders an AMQP table as [name, type, value] triples.
        foreach (JsonElement property in clientProperties.EnumerateArray())
        {
            if (property.GetArrayLength() == 3 && property[0].GetString() == "connection_name")
            {
                return property[2].GetString();
            }
        }

        return null;
    }

    /// <summary>
    /// list_queues reports a quorum queue's counts as of the leader's last metrics tick (every 5 s in 3.10),
    /// so a test could read 0 for a queue that holds messages. This asks the queue itself: the quorum
    /// queue's leader (ra:leader_query of its state machine's overview), or the classic queue's process.
    /// These are internal APIs, checked on RabbitMQ 3.10 (Debian 12's package).
    /// </summary>
    private async Task<QueueState> QueueStateAsync(string name, CancellationToken cancellationToken)
    {
        string expression = """
            case rabbit_amqqueue:lookup(rabbit_misc:r(<<"/">>, queue, <<"QUEUE_NAME"/utf8>>)) of
                {error, not_found} -> not_found;
                {ok, Q} ->
                    case amqqueue:get_type(Q) of
                        rabbit_quorum_queue ->
                            case ra:leader_query(amqqueue:get_pid(Q), fun rabbit_fifo:overview/1) of
                                {ok, {_, #{num_ready_messages := R, num_checked_out := U}}, {_, Leader}} -> {R, U, Leader};
                                Other -> {no_leader, Other}
                            end;
                        _ ->
                            [{_, R}, {_, U}] = rabbit_amqqueue:info(Q, [messages_ready, messages_unacknowledged]),
                            {R, U, node(amqqueue:get_pid(Q))}
                    end
            end.
            """.Replace("QUEUE_NAME", ErlangString(name), StringComparison.Ordinal);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            string output;
            try
            {
                output = await FirstServing().EvalAsync(expression, cancellationToken);
            }
            catch (InvalidOperationException) when (stopwatch.Elapsed < QueryTimeout)
            {
                // The node asked went down meanwhile, or the queue is between leaders: ask again.
                await Task.Delay(250, cancellationToken);
                continue;
            }

            if (QueueStateTerm().Match(output) is { Success: true } match)
            {
                return new QueueState(
                    long.Parse(match.Groups["ready"].Value, CultureInfo.InvariantCulture),
                    long.Parse(match.Groups["unacked"].Value, CultureInfo.InvariantCulture),
                    match.Groups["leader"].Value);
            }

            if (output == "not_found")
            {
                throw new InvalidOperationException($"Queue {name} does not exist.");
            }

            if (stopwatch.Elapsed > QueryTimeout)
            {
                throw new TimeoutException($"queue {name} had no leader to answer within {QueryTimeout.TotalSeconds:F0} s: {output}");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    private static string ErlangString(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    [GeneratedRegex(@"^\{(?<ready>\d+),\s*(?<unacked>\d+),\s*'?(?<leader>[^'{}\s]+)'?\}$")]
    private static partial Regex QueueStateTerm();

    private readonly record struct QueueState(long Ready, long Unacked, string Leader);
}
