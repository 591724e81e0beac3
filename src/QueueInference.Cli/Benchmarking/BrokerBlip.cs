using System.Diagnostics;
using System.Globalization;
using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// A broker disturbance of the issue's, done once per scenario when the worker first holds
/// <see cref="Threshold"/> requests: every connection closed by the broker (<c>close_all_connections</c>),
/// the broker application stopped for a while and started again, or the cluster node the worker's
/// consumer is connected to SIGKILLed. The worker's gauges are read every 100 ms throughout, to tell
/// how much it held when its connection actually dropped and when it was back.
/// </summary>
public sealed class BrokerBlip
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How long after the commands the worker's reconnection is awaited before the blip counts as done.</summary>
    private static readonly TimeSpan ReconnectWatch = TimeSpan.FromMinutes(2);

    /// <summary>Disturbs the broker; throws <see cref="InvalidOperationException"/> when a command fails.</summary>
    private readonly Func<Task<BlipEffect>> _disturb;

    // Read by the scenario's observation loop while RunAsync sets it on another thread.
    private volatile bool _triggered;

    private BrokerBlip(string action, Func<Task<BlipEffect>> disturb, long threshold)
    {
        Action = action;
        _disturb = disturb;
        Threshold = threshold;
    }

    public long Threshold { get; }

    /// <summary>What is done, e.g. <c>rabbitmqctl close_all_connections</c>.</summary>
    public string Action { get; }

    /// <summary>Set when the trigger was reached: from then on the blip runs to its end, whatever the scenario does.</summary>
    public bool Triggered => _triggered;

    /// <summary><c>rabbitmqctl close_all_connections</c> on the benchmark's private node.</summary>
    public static BrokerBlip CloseAllConnections(PrivateBroker broker, long threshold) => new(
        "rabbitmqctl close_all_connections",
        async () =>
        {
            await broker.ControlAsync(["close_all_connections", "qi bench blip"], CancellationToken.None);
            return new BlipEffect(UnixTime.Now(), null);
        },
        threshold);

    /// <summary><c>rabbitmqctl stop_app</c>, <paramref name="outage"/>, <c>start_app</c>: start_app runs whatever happened before it.</summary>
    public static BrokerBlip StopStartApp(PrivateBroker broker, long threshold, TimeSpan outage) => new(
        string.Create(CultureInfo.InvariantCulture, $"rabbitmqctl stop_app, {outage.TotalSeconds:0.#} s, start_app"),
        async () =>
        {
            try
            {
                await broker.ControlAsync(["stop_app"], CancellationToken.None);
                double stopped = UnixTime.Now();
                await Task.Delay(outage, CancellationToken.None);
                return new BlipEffect(stopped, null);
            }
            finally
            {
                await broker.ControlAsync(["start_app"], CancellationToken.None);
            }
        },
        threshold);

    /// <summary>
    /// SIGKILL of the cluster node the connection named <paramref name="consumerConnection"/>… (the worker's
    /// consumer) is on, found with <c>rabbitmqctl list_connections</c> when the trigger is reached. The node
    /// stays down. The detail names the node, where <paramref name="publisherConnection"/>… (the worker's reply
    /// publisher) was, and whether the node led the request queue (<paramref name="requestQueueLeader"/>, when known).
    /// </summary>
    /// <param name="afterKill">Runs once the node is killed (e.g. schedules its restart); what it returns is added to the description.</param>
    public static BrokerBlip KillConnectedNode(PrivateCluster cluster, string consumerConnection, string publisherConnection, long threshold, int? requestQueueLeader, Func<int, string?>? afterKill = null) => new(
        $"SIGKILL of the node of connection {consumerConnection}",
        async () =>
        {
            IReadOnlyList<(string Name, int Node)> connections = await cluster.ConnectionNodesAsync();
            int[] consumerNodes = [.. connections.Where(c => c.Name.StartsWith(consumerConnection, StringComparison.Ordinal)).Select(c => c.Node).Distinct()];
            int node = consumerNodes.Length == 1
                ? consumerNodes[0]
                : throw new InvalidOperationException($"connections named {consumerConnection}… are on {(consumerNodes.Length == 0 ? "no node" : "nodes " + string.Join(", ", consumerNodes))}");
            int pid = await cluster.KillNodeAsync(node);
            double killed = UnixTime.Now();
            int[] publisherNodes = [.. connections.Where(c => c.Name.StartsWith(publisherConnection, StringComparison.Ordinal)).Select(c => c.Node).Distinct()];
            string publisher = publisherNodes.Length == 0
                ? "; no publisher connection yet"
                : string.Create(CultureInfo.InvariantCulture, $"; the worker's publisher connection was on node {string.Join(", ", publisherNodes)}{(publisherNodes.Contains(node) ? " (killed too)" : string.Empty)}");
            string leader = requestQueueLeader switch
            {
                null => string.Empty,
                { } l when l == node => "; it led the request queue",
                { } l => string.Create(CultureInfo.InvariantCulture, $"; the request queue's leader, node {l}, stayed up"),
            };
            string? after = afterKill?.Invoke(node);
            return new BlipEffect(killed, string.Create(CultureInfo.InvariantCulture, $"node {node} ({cluster.NodeNames[node]}, VM pid {pid}) killed{publisher}{leader}{(after is null ? string.Empty : "; " + after)}"), node);
        },
        threshold);

    /// <summary>The same blip at another trigger, e.g. half a backlog smaller than the threshold.</summary>
    public BrokerBlip WithThreshold(long newThreshold) => new(Action, _disturb, newThreshold);

    /// <summary>
    /// Polls the worker's in-flight gauge until it reaches the threshold, then disturbs the broker.
    /// <paramref name="stopWaiting"/> ends the wait (the scenario is over); once started, the
    /// commands always run to their end, so the broker is never left stopped. The worker's outage lines
    /// (<paramref name="workerLines"/>) tell a loss and a recovery too quick for a 100 ms poll of /metrics.
    /// </summary>
    public async Task<BlipOutcome> RunAsync(WorkerMetrics metrics, Func<IReadOnlyList<PodLogLine>> workerLines, RunConsole console, string scenario, CancellationToken stopWaiting)
    {
        long? maxSeen = null;
        long trigger;
        while (true)
        {
            try
            {
                WorkerMetricsSample sample = await metrics.ReadAsync(stopWaiting);
                maxSeen = sample.InFlight > (maxSeen ?? long.MinValue) ? sample.InFlight : maxSeen;
                if (sample.InFlight is { } inFlight && inFlight >= Threshold)
                {
                    trigger = inFlight;
                    _triggered = true;
                    break;
                }

                await Task.Delay(PollInterval, stopWaiting);
            }
            catch (OperationCanceledException) when (stopWaiting.IsCancellationRequested)
            {
                return BlipOutcome.NotTriggered(maxSeen);
            }
        }

        console.Line("{0}: {1} in flight in the worker: {2}", scenario, trigger, Action);
        double triggeredAt = UnixTime.Now();
        var clock = Stopwatch.StartNew();
        Task<(BlipEffect? Effect, string? Error)> commands = RunCommandsAsync();
        long? lastConnectedInFlight = trigger;
        string source = "metrics";
        double? lostAt = null;
        double? reconnectedAt = null;
        double? commandSeconds = null;
        DateTime? watchUntil = null;
        while (true)
        {
            if (commands.IsCompleted)
            {
                commandSeconds ??= clock.Elapsed.TotalSeconds;
                watchUntil ??= DateTime.UtcNow + ReconnectWatch;
                if (reconnectedAt is not null || DateTime.UtcNow >= watchUntil || stopWaiting.IsCancellationRequested)
                {
                    break;
                }
            }

            WorkerMetricsSample sample = await metrics.ReadAsync(CancellationToken.None);
            IReadOnlyList<PodLogLine> lines = workerLines();
            if (lostAt is null)
            {
                if (sample.Connected == false)
                {
                    lostAt = UnixTime.Now();
                    console.Line("{0}: the worker lost its connection with {1} in flight", scenario, lastConnectedInFlight);
                }
                else if (WorkerOutageLog.FirstSince(lines, WorkerOutageLog.LostFragment, triggeredAt) is { } lost)
                {
                    // Gone and back between two polls: the worker's own count of what it held on the lost connection.
                    lostAt = lost.At;
                    (lastConnectedInFlight, source) = (WorkerOutageLog.InFlightAtLoss(lost.Text) ?? lastConnectedInFlight, "worker log");
                    console.Line("{0}: the worker lost its connection with {1} in flight (from its log: /metrics did not show it disconnected)", scenario, lastConnectedInFlight);
                }
                else if (sample.Connected == true)
                {
                    lastConnectedInFlight = sample.InFlight ?? lastConnectedInFlight;
                }
            }
            else if (reconnectedAt is null)
            {
                if (sample.Connected == true)
                {
                    reconnectedAt = UnixTime.Now();
                }
                else if (WorkerOutageLog.FirstSince(lines, WorkerOutageLog.RecoveredFragment, triggeredAt) is { } recovered)
                {
                    reconnectedAt = recovered.At;
                }

                if (reconnectedAt is not null)
                {
                    console.Line("{0}: the worker is connected again after {1:F1} s", scenario, Math.Max(0, reconnectedAt.Value - lostAt.Value));
                }
            }

            await Task.Delay(PollInterval, CancellationToken.None);
        }

        (BlipEffect? effect, string? error) = await commands;
        console.Line("{0}: {1} took {2:F1} s{3}{4}", scenario, Action, commandSeconds, effect?.Detail is { } detail ? $": {detail}" : string.Empty, error is null ? string.Empty : $" and failed: {error}");
        return new BlipOutcome(true, trigger, lostAt is null ? trigger : lastConnectedInFlight, maxSeen, triggeredAt, lostAt, reconnectedAt, commandSeconds, error)
        {
            DisturbedAt = effect?.At,
            Detail = effect?.Detail,
            Node = effect?.Node,
            InFlightSource = lostAt is null ? "trigger (no loss seen)" : source,
        };

        async Task<(BlipEffect? Effect, string? Error)> RunCommandsAsync()
        {
            try
            {
                return (await _disturb(), null);
            }
            catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or System.Text.Json.JsonException)
            {
                return (null, exception.Message);
            }
        }
    }
}
