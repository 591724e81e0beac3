using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using QueueInference.Cli.LoadTesting;
using QueueInference.Pipeline.Messaging;
using RabbitMQ.Client;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// Runs the scenarios one after another against one broker: for each, an empty request queue,
/// a backlog published by the load tester's publisher, the process started inside a fresh
/// 1 CPU / 512 MiB pod, replies collected until the backlog is drained, the process killed.
/// A process that exits or is OOM-killed is never restarted: the row reports it.
/// </summary>
/// <param name="privateBroker">The benchmark's own node, needed by the blip scenarios (rabbitmqctl); null with --broker.</param>
public sealed class BenchRunner(BenchSettings settings, RunConsole console, string broker, PrivateBroker? privateBroker = null)
{
    private const string RequestQueue = "qi_bench_requests";

    /// <summary>seed-quorum's request queue: a queue's type cannot change, so it has its own name.</summary>
    private const string QuorumRequestQueue = "qi_bench_requests_quorum";

    /// <summary>seed-max-length's request queue: a queue's arguments cannot change either.</summary>
    private const string MaxLengthRequestQueue = "qi_bench_requests_max_length";

    /// <summary>cluster-kill's request queue, a quorum queue on the scenario's own cluster.</summary>
    private const string ClusterRequestQueue = "qi_bench_requests_cluster";

    /// <summary>Prefix of the worker's consumer connection's name (RabbitMQ:ClientName, then the purpose): the node cluster-kill kills.</summary>
    private const string WorkerConsumerConnection = "queue-inference-consumer";

    /// <summary>Prefix of the worker's reply publisher connection's name: cluster-kill says where it was.</summary>
    private const string WorkerPublisherConnection = "queue-inference-publisher";

    /// <summary>seed-max-length's x-max-length, in backlogs: room for the whole backlog, so reject-publish never fires.</summary>
    public const int MaxLengthBacklogs = 10;

    /// <summary>With requests unanswered and no reply for this long, the dead-letter queue is checked for them.</summary>
    private static readonly TimeSpan StallBeforeDeadLetterCheck = TimeSpan.FromSeconds(30);

    /// <summary>
    /// With requests unanswered, no reply for this long, the worker holding none and the request queue empty,
    /// nothing more can come: a retry waits at most Retry:MaxDelay (1 min by default) before it is back in the queue.
    /// </summary>
    private static readonly TimeSpan StallBeforeGivingUp = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Rounds of 100 messages when the transformation is timed after the cpu-bound row, about 5 s: this machine's speed
    /// changes for seconds at a time, and the ceiling should span several such spells.
    /// </summary>
    private const int TransformationRoundsAfterRow = 150;

    /// <summary>Rounds of ~100 ms when the model is timed after a model row: about 5 s, as for the transformation.</summary>
    private const int ModelRoundsAfterRow = 50;

    private readonly string _logDirectory = Path.Combine(settings.OutputDirectory, "benchmark-logs");
    private readonly Random _random = new(20260101);

    private readonly List<ScenarioResult> _completed = [];

    /// <summary>The model rows' model file, made once per run.</summary>
    private Task<string>? _heavyModel;

    public string? SandboxDescription { get; private set; }

    public string LogDirectory => _logDirectory;

    /// <summary>The rows measured so far: what an interrupted run still reports.</summary>
    public IReadOnlyList<ScenarioResult> Completed => _completed;

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(double cpuLimitPerSecond, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_logDirectory);
        await DeclareRequestQueueAsync(cancellationToken);
        await PrepareModelRowsAsync(cancellationToken);
        List<ScenarioResult> results = _completed;
        ScenarioResult? echo = null;
        ScenarioResult? seed = null;
        string ioDelay = settings.IoDelay.ToString("c", CultureInfo.InvariantCulture);
        foreach (string scenario in settings.Scenarios)
        {
            if (scenario == "steady" && echo is not null && seed?.ThroughputPerSecond is { } seedRate)
            {
                // The same open-loop load on the echo: the latency this machine's broker and client add anyway.
                ScenarioResult echoSteady = await SteadyAsync("steady-echo", "the steady load on the echo ceiling: the environment's own latency", EchoProcess(), seedRate / 2, 0, cancellationToken);
                results.Add(echoSteady with { Ratio = echoSteady.ThroughputPerSecond / echo.ThroughputPerSecond, RatioTo = "echo ceiling" });
                console.Line("steady-echo: overhead p50 {0:F1} ms, p99 {1:F1} ms at {2:F0} msg/s", echoSteady.Overhead?.P50 * 1000, echoSteady.Overhead?.P99 * 1000, echoSteady.ThroughputPerSecond);
            }

            if (scenario == "mixed")
            {
                // The same mix on the echo: what this machine's broker and client allow for these sizes, without the worker.
                ScenarioResult mixedEcho = await DrainAsync(
                    "mixed-echo",
                    $"the mixed backlog ({settings.MixedValues}) on the echo: the ceiling of that mix on this machine",
                    EchoProcess(),
                    settings.MixedBacklog,
                    settings.MaxInFlight,
                    0,
                    "none",
                    cancellationToken,
                    new DrainVariant { Values = ValueCountMix.Parse(settings.MixedValues) });
                results.Add(mixedEcho with { Ratio = mixedEcho.ThroughputPerSecond / echo?.ThroughputPerSecond, RatioTo = "echo ceiling" });
                console.Line("mixed-echo: throughput {0} msg/s, seed-size {1} msg/s", BenchReportWriter.N(mixedEcho.ThroughputPerSecond, "F1"), BenchReportWriter.N(mixedEcho.BySize?.FirstOrDefault(s => s.Values == LoadTesting.SeedRequest.DataLength)?.ThroughputPerSecond, "F1"));
            }

            ScenarioResult result = scenario switch
            {
                "seed-quorum" => await DrainAsync(
                    "seed-quorum",
                    "as seed, on a request queue the benchmark declared as a quorum queue (x-queue-type=quorum)",
                    WorkerProcess(settings.MaxInFlight, ioDelay, "Fast", QuorumRequestQueue),
                    settings.Backlog,
                    settings.MaxInFlight,
                    settings.IoDelay.TotalSeconds,
                    "Fast",
                    cancellationToken,
                    new DrainVariant { Queue = QuorumRequestQueue, Declare = QuorumArguments(), QueueType = "quorum", CountDeadLetters = true }),
                "seed-max-length" => await DrainAsync(
                    "seed-max-length",
                    string.Create(CultureInfo.InvariantCulture, $"as seed, on a request queue the benchmark declared with x-max-length={MaxLength(settings.Backlog)} and x-overflow=reject-publish: the worker must consume it as it is"),
                    WorkerProcess(settings.MaxInFlight, ioDelay, "Fast", MaxLengthRequestQueue),
                    settings.Backlog,
                    settings.MaxInFlight,
                    settings.IoDelay.TotalSeconds,
                    "Fast",
                    cancellationToken,
                    new DrainVariant { Queue = MaxLengthRequestQueue, Declare = MaxLengthArguments(settings.Backlog), CountDeadLetters = true }),
                "large" => await DrainAsync(
                    "large",
                    $"{BenchSettings.LargeRequestValues} values per request (61.5 KB bodies, inside the contract's limits), worker defaults (no Consumer:MaxInFlight)",
                    WorkerProcess(null, ioDelay, "Fast"),
                    settings.LargeBacklog,
                    null,
                    settings.IoDelay.TotalSeconds,
                    "Fast",
                    cancellationToken,
                    new DrainVariant { Values = ValueCountMix.Of(BenchSettings.LargeRequestValues), CountDeadLetters = true }),
                "mixed" => await DrainAsync(
                    "mixed",
                    $"a mix of request sizes ({settings.MixedValues}, values:weight), worker defaults (no Consumer:MaxInFlight)",
                    WorkerProcess(null, ioDelay, "Fast"),
                    settings.MixedBacklog,
                    null,
                    settings.IoDelay.TotalSeconds,
                    "Fast",
                    cancellationToken,
                    new DrainVariant { Values = ValueCountMix.Parse(settings.MixedValues), CountDeadLetters = true }),
                "blip-close" => await DrainAsync(
                    "blip-close",
                    "the seed workload; rabbitmqctl close_all_connections once, with requests in flight",
                    WorkerProcess(settings.MaxInFlight, ioDelay, "Fast", persistentReplies: true),
                    settings.Backlog,
                    settings.MaxInFlight,
                    settings.IoDelay.TotalSeconds,
                    "Fast",
                    cancellationToken,
                    BlipVariant(node => BrokerBlip.CloseAllConnections(node, settings.BlipInFlight), settings.IoDelay)),
                "blip-stop" => await DrainAsync(
                    "blip-stop",
                    string.Create(CultureInfo.InvariantCulture, $"the seed workload with a {settings.BlipStopIoDelay.TotalSeconds:0.#} s I/O step; rabbitmqctl stop_app, {settings.BlipOutage.TotalSeconds:0.#} s, start_app, with requests in flight"),
                    WorkerProcess(settings.MaxInFlight, settings.BlipStopIoDelay.ToString("c", CultureInfo.InvariantCulture), "Fast", persistentReplies: true),
                    settings.Backlog,
                    settings.MaxInFlight,
                    settings.BlipStopIoDelay.TotalSeconds,
                    "Fast",
                    cancellationToken,
                    BlipVariant(node => BrokerBlip.StopStartApp(node, settings.BlipInFlight, settings.BlipOutage), settings.BlipStopIoDelay)),
                "cluster-kill" => await ClusterKillAsync(ioDelay, cancellationToken),
                "echo" => await DrainAsync("echo", "echo ceiling: consume, reply, ack after confirm; no I/O step, no work", EchoProcess(), settings.Backlog, settings.MaxInFlight, 0, "none", cancellationToken),
                "seed" => await DrainAsync("seed", "pre-filled backlog, the seed's workload (I/O step, bit-identical transformation, seed model)", WorkerProcess(settings.MaxInFlight, ioDelay, "Fast"), settings.Backlog, settings.MaxInFlight, settings.IoDelay.TotalSeconds, "Fast", cancellationToken),
                "cpu-bound" => await CpuBoundAsync(ioDelay, cancellationToken),
                "steady" => await SteadyAsync(
                    "steady",
                    "open-loop load at half the seed throughput; overhead = total latency minus the I/O delay",
                    WorkerProcess(settings.MaxInFlight, ioDelay, "Fast"),
                    (seed?.ThroughputPerSecond ?? throw new InvalidOperationException("steady needs the seed scenario's throughput")) / 2,
                    settings.IoDelay.TotalSeconds,
                    cancellationToken),
                "rising" => await SteadyAsync(
                    "rising",
                    string.Create(CultureInfo.InvariantCulture, $"open-loop load that rises: 1/{BenchSettings.RisingLightDivisor} of the seed throughput for {BenchSettings.RisingLightSeconds.TotalSeconds:0} s, then the steady row's half; can the pod take the higher rate as it comes?"),
                    WorkerProcess(settings.MaxInFlight, ioDelay, "Fast"),
                    (seed?.ThroughputPerSecond ?? throw new InvalidOperationException("rising needs the seed scenario's throughput")) / 2,
                    settings.IoDelay.TotalSeconds,
                    cancellationToken,
                    lightStartRate: seed.ThroughputPerSecond.Value / BenchSettings.RisingLightDivisor),
                "cold-start" => await DrainAsync("cold-start", "process start to first reply: one request waiting, no I/O delay", WorkerProcess(settings.MaxInFlight, "00:00:00", "Fast"), 1, settings.MaxInFlight, 0, "Fast", cancellationToken),
                "one-at-a-time" => await DrainAsync("one-at-a-time", "one message in flight (MaxInFlight=1), as the stock Functions trigger dispatches", WorkerProcess(1, ioDelay, "Fast"), settings.OneAtATimeBacklog, 1, settings.IoDelay.TotalSeconds, "Fast", cancellationToken),
                "model-heavy" => await ModelHeavyAsync(batched: true, cancellationToken),
                "model-heavy-unbatched" => await ModelHeavyAsync(batched: false, cancellationToken),
                _ => throw new InvalidOperationException($"unknown scenario '{scenario}'"),
            };
            result = ScenarioJudgement.Judge(result, echo, seed, cpuLimitPerSecond, results.FirstOrDefault(r => r.Name == "steady-echo"), results.FirstOrDefault(r => r.Name == "mixed-echo"));
            echo = scenario == "echo" ? result : echo;
            seed = scenario == "seed" ? result : seed;
            results.Add(result);
            console.Line("{0}: throughput {1} msg/s, drain {2} s, ratio {3} to {4}, peak RSS {5} MiB, limit hit {6}, CPU {7} µs per message ({8}x the echo's)",
                result.Name, BenchReportWriter.N(result.ThroughputPerSecond, "F1"), BenchReportWriter.N(result.DrainSeconds, "F2"),
                BenchReportWriter.N(result.Ratio, "F3"), result.RatioTo ?? "–", BenchReportWriter.N(result.PeakRssMiB, "F0"), result.LimitHit?.ToString() ?? "n/a",
                BenchReportWriter.N(result.CpuMicrosecondsPerMessage, "F1"), BenchReportWriter.N(result.CpuPerMessageToEcho, "F2"));
        }

        return results;
    }

    /// <summary>
    /// A blip scenario: replies to a durable queue that the collector reconnects to (the worker publishes them
    /// persistent, Reply:Persistent, so a broker restart keeps them), dead letters counted, and after the last
    /// first reply a quiet period of one I/O step plus 10 s, so the duplicates a blip causes are counted too.
    /// </summary>
    private DrainVariant BlipVariant(Func<PrivateBroker, BrokerBlip> blip, TimeSpan ioDelay)
    {
        PrivateBroker node = privateBroker ?? throw new InvalidOperationException("the blip scenarios need the benchmark's private broker");
        return new DrainVariant
        {
            DurableReplies = true,
            CountDeadLetters = true,
            Blip = blip(node),
            QuietAfterDrain = ioDelay + TimeSpan.FromSeconds(10),
        };
    }

    /// <summary>
    /// cluster-kill: a private 3-node cluster of its own, started here and torn down after the row; the request
    /// queue a quorum queue declared through node 0; the worker given every node; its consumer's node SIGKILLed
    /// when the worker holds --blip-in-flight requests, and left down while the rest drains. Replies go to a quorum
    /// queue that the collector consumes through any live node, so neither is lost with the killed node.
    /// </summary>
    private async Task<ScenarioResult> ClusterKillAsync(string ioDelay, CancellationToken cancellationToken)
    {
        const string name = "cluster-kill";
        string description = string.Create(
            CultureInfo.InvariantCulture,
            $"the seed workload on a quorum request queue of a private {PrivateCluster.DefaultNodeCount}-node cluster, the worker given every node; SIGKILL of the node its consumer is connected to, with requests in flight; {(settings.ClusterNodeDown > TimeSpan.Zero ? $"the node is started again {settings.ClusterNodeDown.TotalSeconds:0.#} s later" : "the node stays down")}");
        console.Line("{0}: starting a private {1}-node RabbitMQ cluster", name, PrivateCluster.DefaultNodeCount);
        PrivateCluster cluster;
        try
        {
            cluster = await PrivateCluster.StartAsync($"qibench{console.RunId}", PrivateCluster.DefaultNodeCount, cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or IOException or System.ComponentModel.Win32Exception)
        {
            console.Line("{0}: the cluster did not start: {1}", name, exception.Message);
            return NotMeasured(name, description, $"the private {PrivateCluster.DefaultNodeCount}-node cluster did not start: {exception.Message}");
        }

        await using (cluster)
        {
            try
            {
                console.Line("{0}: cluster up in {1:F0} s at {2}", name, cluster.StartupTime.TotalSeconds, ConnectionStrings.Redact(cluster.ConnectionString));
                await cluster.DeclareQuorumQueueAsync(ClusterRequestQueue, node: 0, cancellationToken: cancellationToken);
                int leader = await cluster.QueueLeaderAsync(ClusterRequestQueue, cancellationToken);
                Task<bool>? restart = null;
                string? RestartLater(int node)
                {
                    if (settings.ClusterNodeDown <= TimeSpan.Zero)
                    {
                        return "it stays down";
                    }

                    restart = StartNodeLaterAsync(cluster, node, cancellationToken);
                    return string.Create(CultureInfo.InvariantCulture, $"started again {settings.ClusterNodeDown.TotalSeconds:0.#} s later, while the worker ran (as a StatefulSet restarts a RabbitMQ pod)");
                }

                ScenarioResult row = await DrainAsync(
                    name,
                    description,
                    WorkerProcess(settings.MaxInFlight, ioDelay, "Fast", ClusterRequestQueue, connectionString: cluster.ConnectionString),
                    settings.Backlog,
                    settings.MaxInFlight,
                    settings.IoDelay.TotalSeconds,
                    "Fast",
                    cancellationToken,
                    new DrainVariant
                    {
                        Broker = cluster.ConnectionString,
                        Queue = ClusterRequestQueue,
                        QueueType = "quorum",
                        DurableReplies = true,
                        ReplyQueueArguments = QuorumArguments(),
                        CountDeadLetters = true,
                        Blip = BrokerBlip.KillConnectedNode(cluster, WorkerConsumerConnection, WorkerPublisherConnection, settings.BlipInFlight, leader, RestartLater),
                        QuietAfterDrain = settings.IoDelay + TimeSpan.FromSeconds(10),
                    });
                bool nodeBack = restart is not null && await restart;
                return await WithQueueAfterRunAsync(cluster, row, nodeBack, cancellationToken);
            }
            finally
            {
                cluster.KeepLogs(_logDirectory, $"{console.RunId}-cluster");
            }
        }
    }

    /// <summary>
    /// What the request queue holds once the worker is gone: messages still unacknowledged are held by consumers
    /// of the killed node. When requests are missing or stranded, the node is started again and the queue read
    /// once more: whether they are lost for good or only stranded until the node returns.
    /// </summary>
    private async Task<ScenarioResult> WithQueueAfterRunAsync(PrivateCluster cluster, ScenarioResult row, bool nodeBack, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadQueueAfterRunAsync(cluster, row, nodeBack, cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
        {
            // A diagnosis, not a measurement: the row stands without it.
            console.Line("cluster-kill: could not read {0} after the run: {1}", ClusterRequestQueue, exception.Message);
            return row;
        }
    }

    private async Task<ScenarioResult> ReadQueueAfterRunAsync(PrivateCluster cluster, ScenarioResult row, bool nodeBack, CancellationToken cancellationToken)
    {
        (long ready, long unacked) = await cluster.QueueCountsAsync(ClusterRequestQueue, cancellationToken);
        var afterRun = new QueueState(ready, unacked);
        console.Line("cluster-kill: {0} after the worker stopped: {1} ready, {2} unacknowledged", ClusterRequestQueue, ready, unacked);
        if (nodeBack || row.Blip?.Node is not { } killed || (row.Missing == 0 && ready + unacked == 0))
        {
            return row with { RequestQueueAfterRun = afterRun };
        }

        console.Line("cluster-kill: starting node {0} again to see whether the unanswered requests come back", killed);
        await cluster.StartNodeAsync(killed, cancellationToken);
        // The queue hears of the node's return and of its dead consumers within a second or two.
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        (long readyBack, long unackedBack) = await cluster.QueueCountsAsync(ClusterRequestQueue, cancellationToken);
        console.Line("cluster-kill: {0} with node {1} back: {2} ready, {3} unacknowledged", ClusterRequestQueue, killed, readyBack, unackedBack);
        return row with { RequestQueueAfterRun = afterRun, RequestQueueAfterNodeBack = new QueueState(readyBack, unackedBack) };
    }

    /// <summary>Starts the killed node again after --cluster-node-down, while the row drains; true once it is back.</summary>
    private async Task<bool> StartNodeLaterAsync(PrivateCluster cluster, int node, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(settings.ClusterNodeDown, cancellationToken);
            await cluster.StartNodeAsync(node, cancellationToken);
            console.Line("cluster-kill: node {0} started again, {1:F0} s after the kill", node, settings.ClusterNodeDown.TotalSeconds);
            return true;
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or IOException or OperationCanceledException)
        {
            console.Line("cluster-kill: node {0} could not be started again: {1}", node, exception.Message);
            return false;
        }
    }

    /// <summary>A row for a scenario that could not run: no process, its disturbance recorded as never happened with the reason.</summary>
    private ScenarioResult NotMeasured(string name, string description, string reason) => new()
    {
        Name = name,
        Description = description,
        Process = "worker",
        Backlog = settings.Backlog,
        Blip = new BlipResult(name, false, settings.BlipInFlight, null, null, null, null, null, null, null, 0, 0, reason),
    };

    private static Dictionary<string, object?> QuorumArguments() => new() { ["x-queue-type"] = "quorum" };

    /// <summary>seed-max-length's bound: <see cref="MaxLengthBacklogs"/> backlogs, at most int.MaxValue.</summary>
    public static long MaxLength(int backlog) => Math.Min((long)backlog * MaxLengthBacklogs, int.MaxValue);

    private static Dictionary<string, object?> MaxLengthArguments(int backlog) => new()
    {
        // A long, as RabbitMQ's own clients send it; the broker takes any integer type.
        ["x-max-length"] = MaxLength(backlog),
        ["x-overflow"] = "reject-publish",
    };

    private async Task<ScenarioResult> DrainAsync(string name, string description, PodCommand command, int backlog, int? maxInFlight, double ioDelaySeconds, string mode, CancellationToken cancellationToken, DrainVariant? variant = null)
    {
        variant ??= new DrainVariant();
        string target = variant.Broker ?? broker;
        if (variant.Declare is { } arguments)
        {
            await BenchQueues.DeclareAsync(target, variant.Queue, arguments, cancellationToken);
        }

        await PurgeAsync(target, variant.Queue, cancellationToken);
        string? deadLetterQueue = variant.CountDeadLetters ? BenchQueues.DeadLetterQueueOf(variant.Queue) : null;
        if (deadLetterQueue is not null)
        {
            await BenchQueues.PurgeIfExistsAsync(target, deadLetterQueue, cancellationToken);
        }

        var ledger = new MessageLedger(TimeSpan.FromHours(1));
        string responseQueue = $"qi-bench-{console.RunId}-{name}";
        await using ReplyCollector collector = await ReplyCollector.StartAsync(target, $"qi-bench-{console.RunId}-{name}", responseQueue, ledger, variant.DurableReplies, variant.ReplyQueueArguments, cancellationToken);
        string queueArguments = QueueArgumentsText(variant.Declare);
        console.Line("{0}: publishing a backlog of {1} requests of {2} values to {3} ({4}{5})", name, backlog, variant.Values, variant.Queue, variant.QueueType, queueArguments.Length == 0 ? string.Empty : ", " + queueArguments);
        await PublishAsync(target, new PublishSchedule(backlog, null, null), variant.Values, variant.Queue, responseQueue, ledger, cancellationToken);

        using IPodSandbox sandbox = PodSandboxes.Create($"qi-bench-{console.RunId}-{name}", settings.PodCpuShares);
        SandboxDescription ??= sandbox.Description;
        console.Line("{0}: starting {1} in the pod ({2})", name, command.Label, sandbox.Description);
        PodObservation observation;
        string logPath = Path.Combine(_logDirectory, $"{console.RunId}-{name}.log");
        BrokerBlip? blip = variant.Blip is { } planned && command.MetricsPort is not null
            ? planned.WithThreshold(Math.Max(1, Math.Min(planned.Threshold, backlog / 2)))
            : null;
        IReadOnlyList<PodLogLine> recoveredLines;
        await using (PodProcess pod = command.Start(sandbox, logPath, blip is null ? null : WorkerOutageLog.Fragments))
        {
            var watch = new ObservationExtras(target, variant.Queue, deadLetterQueue, blip, command.MetricsPort, variant.QuietAfterDrain);
            observation = await ObserveAsync(name, pod, command.RunsWorker, sandbox, ledger, backlog, cancellationToken, null, watch);
            recoveredLines = pod.WatchedLines;
        }

        DeadLetterTally? deadLetters = deadLetterQueue is null ? null : await BenchQueues.DrainDeadLettersAsync(target, deadLetterQueue, ledger, cancellationToken);
        if (ledger.Unanswered() is { Count: > 0 } unanswered)
        {
            // To follow them in the worker's and the broker's logs (the correlation_id is the message_id).
            string path = Path.Combine(_logDirectory, $"{console.RunId}-{name}-unanswered.txt");
            await File.WriteAllLinesAsync(path, unanswered.Select(id => id.ToString()), CancellationToken.None);
            console.Line("{0}: {1} request(s) without a reply, dead-lettered ones included: their ids are in {2}", name, unanswered.Count, path);
        }

        LoadSummary summary = LoadSummary.Create(console.RunId, variant.Queue, ledger, 0);
        IReadOnlyList<CompletedMessage> completed = ledger.SnapshotCompleted();
        double? drain = DrainSeconds(completed);
        bool mixed = variant.Values.Shares.Count > 1;
        return Measured(name, description, command, summary, observation) with
        {
            Backlog = backlog,
            MaxInFlight = maxInFlight,
            IoDelaySeconds = ioDelaySeconds,
            TransformationMode = mode,
            Values = variant.Values.ToString(),
            QueueType = variant.QueueType,
            QueueArguments = queueArguments.Length == 0 ? null : queueArguments,
            DrainSeconds = drain,
            // One request says nothing about a rate.
            ThroughputPerSecond = drain > 0 && backlog > 1 ? summary.Replied / drain : null,
            SustainedPerSecond = SustainedRate(completed),
            ColdStartSeconds = completed.Count == 0 ? null : completed.Min(c => c.ReceivedTimestamp) - observation.StartedAt,
            DeadLettered = deadLetters?.Entries,
            Lost = deadLetters is null ? null : Math.Max(0, summary.Missing - deadLetters.UnrepliedRequests),
            BySize = mixed ? BySize(ledger, completed) : null,
            Blip = observation.Blip is { } outcome && blip is not null
                ? BlipResult.From(blip, outcome, observation.StartedAt, collector.Recoveries, ledger.Redelivered, recoveredLines)
                : null,
        };
    }

    /// <summary>First pick-up to last response.</summary>
    private static double? DrainSeconds(IReadOnlyList<CompletedMessage> completed) =>
        completed.Count == 0 ? null : completed.Max(c => c.ResponseTimestamp) - completed.Min(c => c.PickUpTimestamp);

    /// <summary>Each size's counts, drain and throughput, computed as a single-size row's are.</summary>
    public static IReadOnlyList<SizeResult> BySize(MessageLedger ledger, IReadOnlyList<CompletedMessage> completed) =>
    [
        .. ledger.CountsBySize().Select(counts =>
        {
            CompletedMessage[] ofSize = [.. completed.Where(c => c.Values == counts.Values)];
            double? drain = DrainSeconds(ofSize);
            return new SizeResult(counts.Values, counts.Sent, counts.Replied, counts.Duplicates, drain, drain > 0 && ofSize.Length > 1 ? ofSize.Length / drain : null, SustainedRate(ofSize));
        }),
    ];

    /// <summary>
    /// model-heavy and model-heavy-unbatched (issue 14): the worker runs the 8.5 M-parameter MLP that
    /// models/make_model.py generates, from configuration alone (Transformation:Mode=Features), on requests of
    /// <see cref="BenchSettings.ModelRequestValues"/> values: batched with the worker's defaults, or one request per
    /// run (Inference:MaxBatchSize=1). The mean batch size it reached is read from its /metrics before the pod is
    /// stopped (<see cref="ObserveAsync"/>); the model is then timed alone at that size, for the row's ceiling.
    /// </summary>
    private async Task<ScenarioResult> ModelHeavyAsync(bool batched, CancellationToken cancellationToken)
    {
        string name = batched ? "model-heavy" : "model-heavy-unbatched";
        string model = await HeavyModelAsync(cancellationToken);
        int maxBatchSize = batched ? new Pipeline.Inference.InferenceOptions().MaxBatchSize : 1;
        PodCommand worker = WorkerProcess(null, settings.ModelHeavyIoDelay.ToString("c", CultureInfo.InvariantCulture), "Features");
        var environment = new Dictionary<string, string>(worker.Environment) { ["Inference__ModelPath"] = model };
        if (!batched)
        {
            environment["Inference__MaxBatchSize"] = "1";
        }

        string description = string.Create(
            CultureInfo.InvariantCulture,
            $"{Path.GetFileName(model)}{(settings.HeavyModel is null ? " (64->2048->2048->2048->16 MLP, 8.5 M parameters)" : string.Empty)} with Transformation:Mode=Features on {BenchSettings.ModelRequestValues}-value requests, I/O step {settings.ModelHeavyIoDelay.TotalSeconds:0.###} s, {(batched ? "batched with the worker's defaults" : "unbatched (Inference:MaxBatchSize=1)")}");
        ScenarioResult row = await DrainAsync(
            name,
            description,
            worker with { Environment = environment },
            settings.ModelHeavyBacklog,
            null,
            settings.ModelHeavyIoDelay.TotalSeconds,
            "Features",
            cancellationToken,
            new DrainVariant { Values = ValueCountMix.Of(BenchSettings.ModelRequestValues) });
        ModelCostAtBatch? cost = row.MeanBatchSize is { } mean ? await TimeModelAsync(name, model, mean, maxBatchSize) : null;
        double? batchedRate = _completed.FirstOrDefault(r => r.Name == "model-heavy")?.ThroughputPerSecond;
        return row with
        {
            Model = cost,
            BatchedToUnbatched = !batched && batchedRate is { } fast && row.ThroughputPerSecond is { } slow && slow > 0 ? fast / slow : null,
        };
    }

    /// <summary>The seed workload at the seed's full CPU cost, then the transformation timed alone with the pod stopped, for the row's ceiling.</summary>
    private async Task<ScenarioResult> CpuBoundAsync(string ioDelay, CancellationToken cancellationToken)
    {
        ScenarioResult row = await DrainAsync("cpu-bound", "as seed, with the seed's full CPU cost (100000 iterations recomputing the factor)", WorkerProcess(settings.MaxInFlight, ioDelay, "SeedCost"), settings.CpuBoundBacklog ?? settings.Backlog, settings.MaxInFlight, settings.IoDelay.TotalSeconds, "SeedCost", cancellationToken);
        TransformationCostRow timed = await Task.Run(() => TransformationCost.Measure(rounds: TransformationRoundsAfterRow), cancellationToken);
        console.Line("cpu-bound: after the drain, the transformation alone cost {0:F1} µs of CPU per message (fastest round {1:F1} µs, median {2:F1} µs, CPU share {3:F2})", timed.CpuSecondsPerMessage * 1e6, timed.BestSecondsPerMessage * 1e6, timed.MedianSecondsPerMessage * 1e6, timed.CpuShare);
        return row with { Transformation = timed };
    }

    /// <summary>The model's cost per item at the batch size a row reached, ONNX Runtime alone on one intra-op thread, after the pod stopped.</summary>
    private async Task<ModelCostAtBatch> TimeModelAsync(string name, string model, double meanBatchSize, int maxBatchSize)
    {
        int batchSize = Math.Clamp((int)Math.Round(meanBatchSize, MidpointRounding.AwayFromZero), 1, maxBatchSize);
        console.Line("{0}: mean batch size {1:F2}; timing {2} alone at batch size {3} (one intra-op thread)", name, meanBatchSize, Path.GetFileName(model), batchSize);
        ModelCostRow timed = await Task.Run(() => ModelCost.Measure(model, [batchSize], rounds: ModelRoundsAfterRow)[0]);
        console.Line("{0}: the model alone costs {1:F1} µs of CPU per item at batch size {2} (fastest round {3:F1} µs, median {4:F1} µs, CPU share {5:F2})", name, timed.CpuSecondsPerItem * 1e6, batchSize, timed.BestSecondsPerItem * 1e6, timed.MedianSecondsPerItem * 1e6, timed.CpuShare);
        return new ModelCostAtBatch(Path.GetFileName(model), meanBatchSize, batchSize, timed.BestSecondsPerItem, timed.MedianSecondsPerItem, timed.CpuSecondsPerItem, timed.CpuShare);
    }

    /// <summary>Before any row: the model rows' model, so a missing python3-onnx stops the run before it measures anything.</summary>
    private async Task PrepareModelRowsAsync(CancellationToken cancellationToken)
    {
        if (settings.Scenarios.Any(BenchSettings.ModelScenarios.Contains))
        {
            await HeavyModelAsync(cancellationToken);
        }
    }

    /// <summary>--heavy-model as given, or models/make_model.py's model-heavy, generated once per run into models/generated/ (git-ignored).</summary>
    private Task<string> HeavyModelAsync(CancellationToken cancellationToken) => _heavyModel ??= GenerateHeavyModelAsync(cancellationToken);

    private async Task<string> GenerateHeavyModelAsync(CancellationToken cancellationToken)
    {
        if (settings.HeavyModel is { } given)
        {
            return Path.GetFullPath(given);
        }

        string directory = Path.GetFullPath(BenchSettings.GeneratedModelsDirectory);
        console.Line("generating model-heavy into {0} with {1} (deterministic, never committed)", directory, BenchSettings.MakeModelScript);
        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { Path.GetFullPath(BenchSettings.MakeModelScript), "--out", directory, "model-heavy" })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using System.Diagnostics.Process python = System.Diagnostics.Process.Start(start) ?? throw new LoadInputException("/usr/bin/python3 did not start");
            Task<string> output = python.StandardOutput.ReadToEndAsync(cancellationToken);
            Task<string> error = python.StandardError.ReadToEndAsync(cancellationToken);
            await python.WaitForExitAsync(cancellationToken);
            return python.ExitCode == 0
                ? Path.Combine(directory, "model-heavy.onnx")
                : throw new LoadInputException($"{BenchSettings.MakeModelScript} exited {python.ExitCode} (it needs Debian's python3-onnx): {(await output).Trim()} {(await error).Trim()}");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new LoadInputException($"/usr/bin/python3 could not run {BenchSettings.MakeModelScript}: {exception.Message} (install python3-onnx, or pass --heavy-model)");
        }
    }

    /// <param name="lightStartRate">With a value, the load first runs at this rate for <see cref="BenchSettings.RisingLightSeconds"/> (the rising row).</param>
    private async Task<ScenarioResult> SteadyAsync(string name, string description, PodCommand command, double offeredRate, double ioDelaySeconds, CancellationToken cancellationToken, double? lightStartRate = null)
    {
        double rate = Math.Max(1, offeredRate);
        await PurgeAsync(broker, RequestQueue, cancellationToken);
        using IPodSandbox sandbox = PodSandboxes.Create($"qi-bench-{console.RunId}-{name}", settings.PodCpuShares);
        var ledger = new MessageLedger(TimeSpan.FromHours(1));
        PodObservation observation;
        SandboxDescription ??= sandbox.Description;
        await using (PodProcess pod = command.Start(sandbox, Path.Combine(_logDirectory, $"{console.RunId}-{name}.log")))
        {
            // Warm-up outside the measurement: JIT, model session, connections.
            var warmUp = new MessageLedger(TimeSpan.FromHours(1));
            await using (ReplyCollector warmUpCollector = await ReplyCollector.StartAsync(broker, $"qi-bench-{console.RunId}-{name}-warmup", $"qi-bench-{console.RunId}-{name}-warmup", warmUp, cancellationToken))
            {
                await PublishAsync(broker, new PublishSchedule(200, null, null), ValueCountMix.Seed, RequestQueue, $"qi-bench-{console.RunId}-{name}-warmup", warmUp, cancellationToken);
                await warmUpCollector.WaitForAllAsync(TimeSpan.FromMinutes(2), cancellationToken);
            }

            string responseQueue = $"qi-bench-{console.RunId}-{name}";
            await using ReplyCollector collector = await ReplyCollector.StartAsync(broker, responseQueue, responseQueue, ledger, cancellationToken);
            if (lightStartRate is { } light)
            {
                console.Line("{0}: open loop at {1:F1} msg/s for {2} s, then at {3:F1} msg/s (half the seed throughput) for {4} s", name, light, BenchSettings.RisingLightSeconds.TotalSeconds, rate, settings.SteadySeconds);
            }
            else
            {
                console.Line("{0}: open loop at {1:F1} msg/s (half the seed throughput) for {2} s", name, rate, settings.SteadySeconds);
            }

            Task publishing = PublishOpenLoopAsync(responseQueue, ledger, lightStartRate, rate, cancellationToken);
            observation = await ObserveAsync(name, pod, command.RunsWorker, sandbox, ledger, null, cancellationToken, publishing);
        }

        LoadSummary summary = LoadSummary.Create(console.RunId, RequestQueue, ledger, 0);
        IReadOnlyList<CompletedMessage> completed = ledger.SnapshotCompleted();
        // The rate replies came at while the load was applied (first to last response), not diluted by the I/O delay.
        double? replyWindow = completed.Count < 2 ? null : completed.Max(c => c.ResponseTimestamp) - completed.Min(c => c.ResponseTimestamp);
        return Measured(name, description, command, summary, observation) with
        {
            Backlog = 0,
            MaxInFlight = settings.MaxInFlight,
            IoDelaySeconds = ioDelaySeconds,
            TransformationMode = command.Label == "echo" ? "none" : "Fast",
            DrainSeconds = summary.TotalTimeSeconds,
            ThroughputPerSecond = replyWindow > 0 ? (completed.Count - 1) / replyWindow : null,
            SustainedPerSecond = SustainedRate(completed),
            OfferedRatePerSecond = rate,
            Overhead = summary.Total.Shift(-ioDelaySeconds),
        };
    }

    /// <summary>The steady rows' open-loop load; the rising row's light start comes first, on the same ledger.</summary>
    private async Task PublishOpenLoopAsync(string responseQueue, MessageLedger ledger, double? lightStartRate, double rate, CancellationToken cancellationToken)
    {
        if (lightStartRate is { } light)
        {
            await PublishAsync(broker, new PublishSchedule(null, Math.Max(1, light), BenchSettings.RisingLightSeconds), ValueCountMix.Seed, RequestQueue, responseQueue, ledger, cancellationToken);
        }

        await PublishAsync(broker, new PublishSchedule(null, rate, TimeSpan.FromSeconds(settings.SteadySeconds)), ValueCountMix.Seed, RequestQueue, responseQueue, ledger, cancellationToken);
    }

    /// <summary>What every scenario row reports the same way: the load tester's counts and latencies, and the pod's counters.</summary>
    private static ScenarioResult Measured(string name, string description, PodCommand command, LoadSummary summary, PodObservation observation) => new()
    {
        Name = name,
        Description = description,
        Process = command.Label,
        Sent = summary.Sent,
        Replied = summary.Replied,
        Missing = summary.Missing,
        Duplicates = summary.Duplicates,
        PeakRssMiB = observation.PeakRssMiB,
        CgroupPeakMiB = observation.Usage.CgroupPeakMiB,
        LimitHit = observation.Usage.LimitHit,
        OomKilled = observation.Usage.OomKilled,
        ExitedEarly = observation.ExitedEarly,
        ExitCode = observation.ExitCode,
        ExitedAfterSeconds = observation.ExitedAfterSeconds,
        TimedOut = observation.TimedOut,
        PeakInFlight = observation.PeakInFlight,
        CpuSeconds = observation.CpuSeconds,
        CpuThrottledSeconds = observation.Usage.ThrottledSeconds,
        CpuMicrosecondsPerMessage = observation.DrainCpu?.MicrosecondsPerMessage,
        DrainCpu = observation.DrainCpu,
        ComputeCpuMicrosecondsPerMessage = observation.ComputeDrainCpu?.MicrosecondsPerMessage,
        ComputeThreadsRunningCores = ScenarioJudgement.Cores(observation.ComputeDrainCpu),
        ComputeThreadsWaitingCores = ScenarioJudgement.Cores(observation.ComputeRunQueue),
        MachineIdleCores = ScenarioJudgement.Cores(observation.MachineIdle),
        BrokerDrainCpu = observation.BrokerCpu,
        ToolDrainCpu = observation.ToolCpu,
        MeanBatchSize = observation.Batches?.MeanBatchSize,
        InferenceRuns = observation.Batches?.Runs,
        PickUp = summary.PickUp,
        Processing = summary.Processing,
        Total = summary.Total,
    };

    /// <summary>
    /// Waits for every reply (or the timeout, or the process dying), printing progress; reads the pod's counters
    /// before it is stopped. With <paramref name="extras"/>: stops early when the unanswered requests are all in
    /// the dead-letter queue, runs a broker blip, and listens on for a quiet period after the drain.
    /// </summary>
    private async Task<PodObservation> ObserveAsync(string name, PodProcess pod, bool runsWorker, IPodSandbox sandbox, MessageLedger ledger, int? expected, CancellationToken cancellationToken, Task? publishing = null, ObservationExtras? extras = null)
    {
        DateTime deadline = DateTime.UtcNow + settings.ScenarioTimeout;
        DateTime nextLine = DateTime.UtcNow.AddSeconds(5);
        DateTime nextSample = DateTime.UtcNow;
        DateTime nextDeadLetterCheck = DateTime.MinValue;
        bool exitedEarly = false;
        bool timedOut = true;
        double? exitedAt = null;
        double? peakRss = null;
        double? cpuSeconds = null;
        long progress = -1;
        DateTime progressAt = DateTime.UtcNow;
        using var stopWaitingForBlip = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using WorkerMetrics? metrics = extras?.MetricsPort is { } port ? new WorkerMetrics(port) : null;
        var peakInFlight = new StrongBox<long?>();
        Task? sampling = metrics is null ? null : SamplePeakInFlightAsync(metrics, peakInFlight, stopSampling.Token);
        Task<BlipOutcome>? blip = metrics is null || extras?.Blip is null ? null : extras.Blip.RunAsync(metrics, () => pod.WatchedLines, console, name, stopWaitingForBlip.Token);
        await using CpuTimeline cpuTimeline = CpuTimeline.Start(sandbox, pod);
        // Only the worker has compute threads.
        await using CpuTimeline? computeTimeline = runsWorker ? CpuTimeline.StartComputeThreads(pod) : null;
        await using CpuTimeline? computeRunQueueTimeline = runsWorker ? CpuTimeline.StartComputeThreadsRunQueue(pod) : null;
        await using CpuTimeline idleTimeline = CpuTimeline.StartMachineIdle();
        // The broker's share only where the row runs on the run's own node (a cluster row's nodes are others).
        await using CpuTimeline? brokerTimeline = privateBroker is not null && (extras is null || extras.Broker == broker) ? CpuTimeline.StartBroker(privateBroker) : null;
        await using CpuTimeline toolTimeline = CpuTimeline.StartOwnProcess();
        while (DateTime.UtcNow < deadline)
        {
            DateTime now = DateTime.UtcNow;
            long answered = ledger.Replied + ledger.Duplicates + ledger.Late;
            if (answered != progress)
            {
                (progress, progressAt) = (answered, now);
            }

            if (now >= nextSample)
            {
                // Sampled while the process runs: once it has exited, procfs has nothing left to read.
                (peakRss, cpuSeconds) = (pod.PeakRssMiB() ?? peakRss, pod.CpuSeconds() ?? cpuSeconds);
                nextSample = now.AddMilliseconds(500);
            }

            bool publishDone = publishing is null || publishing.IsCompleted;
            // A blip still waiting for its trigger is no reason to wait on; one under way is.
            bool blipDone = blip is null || blip.IsCompleted || !extras!.Blip!.Triggered;
            if (publishDone && ledger.Missing == 0 && ledger.Replied >= (expected ?? 0))
            {
                // A blip's duplicates may arrive after the last first reply: listen until quiet, and never stop mid-blip.
                if (extras?.QuietAfterDrain is not { } quiet || (now - progressAt >= quiet && blipDone))
                {
                    timedOut = false;
                    break;
                }
            }
            else if (extras?.DeadLetterQueue is { } deadLetters && publishDone && blipDone && now - progressAt >= StallBeforeDeadLetterCheck && now >= nextDeadLetterCheck)
            {
                nextDeadLetterCheck = now.AddSeconds(5);
                if (await BenchQueues.CountAsync(extras.Broker, deadLetters, cancellationToken) is { } dead && dead > 0 && ledger.Missing <= dead)
                {
                    console.Line("{0}: no reply for {1:F0} s; the {2} unanswered requests may all be among the {3} in {4}: stopping", name, (now - progressAt).TotalSeconds, ledger.Missing, dead, deadLetters);
                    timedOut = false;
                    break;
                }

                if (now - progressAt >= StallBeforeGivingUp
                    && metrics is not null
                    && (await metrics.ReadAsync(cancellationToken)).InFlight == 0
                    && await BenchQueues.CountAsync(extras.Broker, extras.RequestQueue, cancellationToken) == 0)
                {
                    console.Line("{0}: no reply for {1:F0} s, the worker holds no request and {2} is empty: the {3} unanswered requests are dead-lettered or lost; stopping", name, (now - progressAt).TotalSeconds, extras.RequestQueue, ledger.Missing);
                    timedOut = false;
                    break;
                }
            }

            if (pod.HasExited)
            {
                exitedEarly = true;
                timedOut = false;
                exitedAt = UnixTime.Now();
                console.Line("{0}: the process exited (code {1}) before the backlog was drained; it is not restarted (see {2})", name, pod.ExitCode, _logDirectory);
                break;
            }

            if (now >= nextLine)
            {
                console.Line("{0}: replied {1} of {2}", name, ledger.Replied, ledger.Sent);
                nextLine = now.AddSeconds(5);
            }

            await Task.Delay(20, cancellationToken);
        }

        if (timedOut)
        {
            console.Line("{0}: timed out after {1} with {2} of {3} replied", name, settings.ScenarioTimeout, ledger.Replied, ledger.Sent);
        }

        if (publishing is not null)
        {
            await publishing;
        }

        await stopWaitingForBlip.CancelAsync();
        BlipOutcome? blipOutcome = blip is null ? null : await blip;
        await stopSampling.CancelAsync();
        if (sampling is not null)
        {
            await sampling;
        }

        // Before the pod is stopped: the batch sizes the worker reached, and its CPU over the drain.
        InferenceBatches? batches = metrics is null ? null : await metrics.ReadBatchesAsync(cancellationToken);
        DrainCpu? drainCpu = DrainCpu.Measure(await cpuTimeline.StopAsync(), ledger.SnapshotCompleted(), cpuTimeline.Source);
        DrainCpu? computeCpu = computeTimeline is null ? null : DrainCpu.Measure(await computeTimeline.StopAsync(), ledger.SnapshotCompleted(), computeTimeline.Source);
        DrainCpu? computeRunQueue = computeRunQueueTimeline is null ? null : DrainCpu.Measure(await computeRunQueueTimeline.StopAsync(), ledger.SnapshotCompleted(), computeRunQueueTimeline.Source);
        DrainCpu? machineIdle = DrainCpu.Measure(await idleTimeline.StopAsync(), ledger.SnapshotCompleted(), idleTimeline.Source);
        DrainCpu? brokerCpu = brokerTimeline is null ? null : DrainCpu.Measure(await brokerTimeline.StopAsync(), ledger.SnapshotCompleted(), brokerTimeline.Source);
        DrainCpu? toolCpu = DrainCpu.Measure(await toolTimeline.StopAsync(), ledger.SnapshotCompleted(), toolTimeline.Source);
        return new PodObservation(
            pod.StartedAt,
            pod.PeakRssMiB() ?? peakRss,
            pod.CpuSeconds() ?? cpuSeconds,
            sandbox.ReadUsage(),
            exitedEarly,
            timedOut,
            pod.ExitCode,
            exitedAt - pod.StartedAt,
            blipOutcome,
            peakInFlight.Value,
            drainCpu,
            computeCpu,
            computeRunQueue,
            machineIdle,
            brokerCpu,
            toolCpu,
            batches);
    }

    /// <summary>The highest in-flight gauge the worker shows, read every 0.5 s: what its memory was holding.</summary>
    private static async Task SamplePeakInFlightAsync(WorkerMetrics metrics, StrongBox<long?> peak, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if ((await metrics.ReadAsync(stop)).InFlight is { } inFlight && inFlight > (peak.Value ?? long.MinValue))
                {
                    peak.Value = inFlight;
                }

                await Task.Delay(500, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The scenario is over.
        }
    }

    /// <summary>Replies per second between the 10th and 90th percentile response times, leaving out the ramp-up and the tail.</summary>
    public static double? SustainedRate(IReadOnlyList<CompletedMessage> completed)
    {
        if (completed.Count < 20)
        {
            return null;
        }

        double[] responses = [.. completed.Select(c => c.ResponseTimestamp).Order()];
        int from = responses.Length / 10;
        int to = responses.Length * 9 / 10;
        double seconds = responses[to] - responses[from];
        return seconds > 0 ? (to - from) / seconds : null;
    }

    /// <param name="target">The broker to publish to: the run's, or a scenario's own cluster.</param>
    private async Task PublishAsync(string target, PublishSchedule schedule, ValueCountMix values, string queue, string responseQueue, MessageLedger ledger, CancellationToken cancellationToken)
    {
        await using RequestPublisher publisher = await RequestPublisher.ConnectAsync(target, $"qi-bench-{console.RunId}", 2, 5000, cancellationToken);
        await publisher.PublishAsync(schedule, values, queue, responseQueue, ledger, _random, cancellationToken);
        if (publisher.Failed > 0)
        {
            throw new InvalidOperationException($"{publisher.Failed} requests could not be published to {ConnectionStrings.Redact(target)}");
        }
    }

    private async Task DeclareRequestQueueAsync(CancellationToken cancellationToken) =>
        await BrokerChecks.EnsureRequestQueueAsync(broker, RequestQueue, declare: true, cancellationToken);

    private async Task PurgeAsync(string target, string queue, CancellationToken cancellationToken)
    {
        await using IConnection connection = await BrokerConnections.OpenAsync(target, $"qi-bench-{console.RunId}-purge", cancellationToken);
        await using IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.QueuePurgeAsync(queue, cancellationToken);
    }

    /// <summary>The broker's version, from the connection's server properties.</summary>
    public async Task<string?> ServerVersionAsync(CancellationToken cancellationToken)
    {
        await using IConnection connection = await BrokerConnections.OpenAsync(broker, $"qi-bench-{console.RunId}-version", cancellationToken);
        return connection.ServerProperties?.TryGetValue("version", out object? version) == true && version is byte[] bytes ? Encoding.UTF8.GetString(bytes) : null;
    }

    /// <param name="maxInFlight">Consumer:MaxInFlight; null leaves the worker's own default.</param>
    /// <param name="persistentReplies">Reply:Persistent, for the blip scenarios' durable reply queue.</param>
    /// <param name="connectionString">RabbitMQ:ConnectionString; null: the run's broker.</param>
    private PodCommand WorkerProcess(int? maxInFlight, string ioDelay, string mode, string queue = RequestQueue, bool persistentReplies = false, string? connectionString = null)
    {
        // Probes and /metrics on a free port: the default 8080 may be taken on a shared machine.
        int observabilityPort = FreeTcpPort();
        var environment = new Dictionary<string, string>
        {
            ["RabbitMQ__ConnectionString"] = connectionString ?? broker,
            ["RabbitMQ__RequestQueue"] = queue,
            ["IoStep__Delay"] = ioDelay,
            ["Transformation__Mode"] = mode,
            ["Observability__Port"] = observabilityPort.ToString(CultureInfo.InvariantCulture),
            ["DOTNET_ENVIRONMENT"] = "Production",
        };
        if (maxInFlight is { } limit)
        {
            environment["Consumer__MaxInFlight"] = limit.ToString(CultureInfo.InvariantCulture);
        }

        if (persistentReplies)
        {
            environment["Reply__Persistent"] = "true";
        }

        foreach ((string key, string value) in settings.WorkerVariables())
        {
            environment[key] = value;
        }

        // A native executable (scripts/bench.sh publishes one, as the image ships) runs as it is; a dll through dotnet.
        string worker = Path.GetFullPath(settings.WorkerPath);
        return new PodCommand(
            "worker",
            settings.WorkerIsManaged ? "dotnet" : worker,
            settings.WorkerIsManaged ? [worker] : [],
            environment,
            // The app's own directory, as the image's WORKDIR /app: the host watches its content root for
            // configuration changes, and a repository checkout (over a thousand directories) slowed the cold start.
            Path.GetDirectoryName(worker),
            observabilityPort);
    }

    private PodCommand EchoProcess() => new(
        "echo",
        "dotnet",
        [Path.Combine(AppContext.BaseDirectory, "qi.dll"), "echo", "--broker", broker, "--queue", RequestQueue, "--max-in-flight", settings.MaxInFlight.ToString(CultureInfo.InvariantCulture), "--run-id", console.RunId],
        new Dictionary<string, string>());

    private static int FreeTcpPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record PodObservation(double StartedAt, double? PeakRssMiB, double? CpuSeconds, PodUsage Usage, bool ExitedEarly, bool TimedOut, int? ExitCode, double? ExitedAfterSeconds, BlipOutcome? Blip, long? PeakInFlight, DrainCpu? DrainCpu, DrainCpu? ComputeDrainCpu, DrainCpu? ComputeRunQueue, DrainCpu? MachineIdle, DrainCpu? BrokerCpu, DrainCpu? ToolCpu, InferenceBatches? Batches);

    /// <summary>The request queue's arguments for the row, without its type (a column of its own): e.g. <c>x-max-length=200000, x-overflow=reject-publish</c>.</summary>
    public static string QueueArgumentsText(IDictionary<string, object?>? arguments) =>
        arguments is null
            ? string.Empty
            : string.Join(", ", arguments.Where(a => a.Key != "x-queue-type").Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Key}={a.Value}")));

    /// <summary>What the production scenarios change in a drain; the defaults are the classic seed drain's.</summary>
    private sealed record DrainVariant
    {
        /// <summary>The broker of this scenario (a connection string, possibly a host list); null: the run's.</summary>
        public string? Broker { get; init; }

        public string Queue { get; init; } = RequestQueue;

        /// <summary>
        /// Declare <see cref="Queue"/> with these arguments before the run (the benchmark declares it, not the worker);
        /// null: the queue is declared elsewhere.
        /// </summary>
        public IDictionary<string, object?>? Declare { get; init; }

        /// <summary>The request queue's type, as reported.</summary>
        public string QueueType { get; init; } = "classic";

        /// <summary>Arguments of the durable reply queue, e.g. quorum on a cluster.</summary>
        public IDictionary<string, object?>? ReplyQueueArguments { get; init; }

        public ValueCountMix Values { get; init; } = ValueCountMix.Seed;

        public bool DurableReplies { get; init; }

        public bool CountDeadLetters { get; init; }

        public BrokerBlip? Blip { get; init; }

        public TimeSpan? QuietAfterDrain { get; init; }
    }

    /// <param name="Broker">Where <paramref name="RequestQueue"/> and <paramref name="DeadLetterQueue"/> are counted.</param>
    private sealed record ObservationExtras(string Broker, string RequestQueue, string? DeadLetterQueue, BrokerBlip? Blip, int? MetricsPort, TimeSpan? QuietAfterDrain);

    /// <param name="MetricsPort">The worker's Observability:Port (/metrics); null for the echo.</param>
    private sealed record PodCommand(string Label, string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment, string? WorkingDirectory = null, int? MetricsPort = null)
    {
        /// <summary>The worker, not the echo: only the worker serves /metrics and has compute threads.</summary>
        public bool RunsWorker => MetricsPort is not null;

        public PodProcess Start(IPodSandbox sandbox, string logPath, IReadOnlyList<string>? watchedFragments = null) =>
            PodProcess.Start(sandbox, FileName, Arguments, Environment, logPath, WorkingDirectory, watchedFragments);
    }
}
