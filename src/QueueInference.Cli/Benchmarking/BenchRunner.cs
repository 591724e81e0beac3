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

    /// <summary>With requests unanswered and no reply for this long, the dead-letter queue is checked for them.</summary>
    private static readonly TimeSpan StallBeforeDeadLetterCheck = TimeSpan.FromSeconds(30);
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
                    new DrainVariant { Queue = QuorumRequestQueue, Quorum = true, CountDeadLetters = true }),
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
                    BlipVariant(BlipKind.CloseAllConnections, settings.IoDelay)),
                "blip-stop" => await DrainAsync(
                    "blip-stop",
                    string.Create(CultureInfo.InvariantCulture, $"the seed workload with a {settings.BlipStopIoDelay.TotalSeconds:0.#} s I/O step; rabbitmqctl stop_app, {settings.BlipOutage.TotalSeconds:0.#} s, start_app, with requests in flight"),
                    WorkerProcess(settings.MaxInFlight, settings.BlipStopIoDelay.ToString("c", CultureInfo.InvariantCulture), "Fast", persistentReplies: true),
                    settings.Backlog,
                    settings.MaxInFlight,
                    settings.BlipStopIoDelay.TotalSeconds,
                    "Fast",
                    cancellationToken,
                    BlipVariant(BlipKind.StopStartApp, settings.BlipStopIoDelay)),
                "echo" => await DrainAsync("echo", "echo ceiling: consume, reply, ack after confirm; no I/O step, no work", EchoProcess(), settings.Backlog, settings.MaxInFlight, 0, "none", cancellationToken),
                "seed" => await DrainAsync("seed", "pre-filled backlog, the seed's workload (I/O step, bit-identical transformation, seed model)", WorkerProcess(settings.MaxInFlight, ioDelay, "Fast"), settings.Backlog, settings.MaxInFlight, settings.IoDelay.TotalSeconds, "Fast", cancellationToken),
                "cpu-bound" => await DrainAsync("cpu-bound", "as seed, with the seed's full CPU cost (100000 iterations recomputing the factor)", WorkerProcess(settings.MaxInFlight, ioDelay, "SeedCost"), settings.CpuBoundBacklog ?? settings.Backlog, settings.MaxInFlight, settings.IoDelay.TotalSeconds, "SeedCost", cancellationToken),
                "steady" => await SteadyAsync(
                    "steady",
                    "open-loop load at half the seed throughput; overhead = total latency minus the I/O delay",
                    WorkerProcess(settings.MaxInFlight, ioDelay, "Fast"),
                    (seed?.ThroughputPerSecond ?? throw new InvalidOperationException("steady needs the seed scenario's throughput")) / 2,
                    settings.IoDelay.TotalSeconds,
                    cancellationToken),
                "cold-start" => await DrainAsync("cold-start", "process start to first reply: one request waiting, no I/O delay", WorkerProcess(settings.MaxInFlight, "00:00:00", "Fast"), 1, settings.MaxInFlight, 0, "Fast", cancellationToken),
                "one-at-a-time" => await DrainAsync("one-at-a-time", "one message in flight (MaxInFlight=1), as the stock Functions trigger dispatches", WorkerProcess(1, ioDelay, "Fast"), settings.OneAtATimeBacklog, 1, settings.IoDelay.TotalSeconds, "Fast", cancellationToken),
                "model-heavy" => await ModelHeavyAsync(batched: true, cancellationToken),
                "model-heavy-unbatched" => await ModelHeavyAsync(batched: false, cancellationToken),
                _ => throw new InvalidOperationException($"unknown scenario '{scenario}'"),
            };
            result = ScenarioJudgement.Judge(result, echo, seed, cpuLimitPerSecond, results.FirstOrDefault(r => r.Name == "steady-echo"));
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
    private DrainVariant BlipVariant(BlipKind kind, TimeSpan ioDelay)
    {
        PrivateBroker node = privateBroker ?? throw new InvalidOperationException("the blip scenarios need the benchmark's private broker");
        return new DrainVariant
        {
            DurableReplies = true,
            CountDeadLetters = true,
            Blip = new BrokerBlip(node, kind, settings.BlipInFlight, settings.BlipOutage),
            QuietAfterDrain = ioDelay + TimeSpan.FromSeconds(10),
        };
    }

    private async Task<ScenarioResult> DrainAsync(string name, string description, PodCommand command, int backlog, int? maxInFlight, double ioDelaySeconds, string mode, CancellationToken cancellationToken, DrainVariant? variant = null)
    {
        variant ??= new DrainVariant();
        if (variant.Quorum)
        {
            await BenchQueues.DeclareAsync(broker, variant.Queue, quorum: true, cancellationToken);
        }

        await PurgeAsync(variant.Queue, cancellationToken);
        string? deadLetterQueue = variant.CountDeadLetters ? BenchQueues.DeadLetterQueueOf(variant.Queue) : null;
        if (deadLetterQueue is not null)
        {
            await BenchQueues.PurgeIfExistsAsync(broker, deadLetterQueue, cancellationToken);
        }

        var ledger = new MessageLedger(TimeSpan.FromHours(1));
        string responseQueue = $"qi-bench-{console.RunId}-{name}";
        await using ReplyCollector collector = await ReplyCollector.StartAsync(broker, $"qi-bench-{console.RunId}-{name}", responseQueue, ledger, variant.DurableReplies, cancellationToken);
        console.Line("{0}: publishing a backlog of {1} requests of {2} values to {3} ({4})", name, backlog, variant.Values, variant.Queue, variant.Quorum ? "quorum" : "classic");
        await PublishAsync(new PublishSchedule(backlog, null, null), variant.Values, variant.Queue, responseQueue, ledger, cancellationToken);

        using IPodSandbox sandbox = PodSandboxes.Create($"qi-bench-{console.RunId}-{name}");
        SandboxDescription ??= sandbox.Description;
        console.Line("{0}: starting {1} in the pod ({2})", name, command.Label, sandbox.Description);
        PodObservation observation;
        string logPath = Path.Combine(_logDirectory, $"{console.RunId}-{name}.log");
        BrokerBlip? blip = variant.Blip is { } planned && command.MetricsPort is not null
            ? planned.WithThreshold(Math.Max(1, Math.Min(planned.Threshold, backlog / 2)))
            : null;
        await using (PodProcess pod = command.Start(sandbox, logPath))
        {
            var watch = new ObservationExtras(deadLetterQueue, blip, command.MetricsPort, variant.QuietAfterDrain);
            observation = await ObserveAsync(name, pod, sandbox, ledger, backlog, cancellationToken, null, watch);
        }

        DeadLetterTally? deadLetters = deadLetterQueue is null ? null : await BenchQueues.DrainDeadLettersAsync(broker, deadLetterQueue, ledger, cancellationToken);
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
            QueueType = variant.Quorum ? "quorum" : "classic",
            DrainSeconds = drain,
            // One request says nothing about a rate.
            ThroughputPerSecond = drain > 0 && backlog > 1 ? summary.Replied / drain : null,
            SustainedPerSecond = SustainedRate(completed),
            ColdStartSeconds = completed.Count == 0 ? null : completed.Min(c => c.ReceivedTimestamp) - observation.StartedAt,
            DeadLettered = deadLetters?.Entries,
            Lost = deadLetters is null ? null : Math.Max(0, summary.Missing - deadLetters.UnrepliedRequests),
            BySize = mixed ? BySize(ledger, completed) : null,
            Blip = observation.Blip is { } outcome && blip is not null
                ? BlipResult.From(blip, outcome, observation.StartedAt, collector.Recoveries, ledger.Redelivered)
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

    /// <summary>The model's cost per item at the batch size a row reached, ONNX Runtime alone on one intra-op thread, after the pod stopped.</summary>
    private async Task<ModelCostAtBatch> TimeModelAsync(string name, string model, double meanBatchSize, int maxBatchSize)
    {
        int batchSize = Math.Clamp((int)Math.Round(meanBatchSize, MidpointRounding.AwayFromZero), 1, maxBatchSize);
        console.Line("{0}: mean batch size {1:F2}; timing {2} alone at batch size {3} (one intra-op thread)", name, meanBatchSize, Path.GetFileName(model), batchSize);
        ModelCostRow timed = await Task.Run(() => ModelCost.Measure(model, [batchSize])[0]);
        console.Line("{0}: the model costs {1:F1} µs per item at batch size {2} (median round {3:F1} µs, CPU {4:F1} µs per item, CPU share {5:F2})", name, timed.BestSecondsPerItem * 1e6, batchSize, timed.MedianSecondsPerItem * 1e6, timed.CpuSecondsPerItem * 1e6, timed.CpuShare);
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

    private async Task<ScenarioResult> SteadyAsync(string name, string description, PodCommand command, double offeredRate, double ioDelaySeconds, CancellationToken cancellationToken)
    {
        double rate = Math.Max(1, offeredRate);
        await PurgeAsync(RequestQueue, cancellationToken);
        using IPodSandbox sandbox = PodSandboxes.Create($"qi-bench-{console.RunId}-{name}");
        var ledger = new MessageLedger(TimeSpan.FromHours(1));
        PodObservation observation;
        SandboxDescription ??= sandbox.Description;
        await using (PodProcess pod = command.Start(sandbox, Path.Combine(_logDirectory, $"{console.RunId}-{name}.log")))
        {
            // Warm-up outside the measurement: JIT, model session, connections.
            var warmUp = new MessageLedger(TimeSpan.FromHours(1));
            await using (ReplyCollector warmUpCollector = await ReplyCollector.StartAsync(broker, $"qi-bench-{console.RunId}-{name}-warmup", $"qi-bench-{console.RunId}-{name}-warmup", warmUp, cancellationToken))
            {
                await PublishAsync(new PublishSchedule(200, null, null), ValueCountMix.Seed, RequestQueue, $"qi-bench-{console.RunId}-{name}-warmup", warmUp, cancellationToken);
                await warmUpCollector.WaitForAllAsync(TimeSpan.FromMinutes(2), cancellationToken);
            }

            string responseQueue = $"qi-bench-{console.RunId}-{name}";
            await using ReplyCollector collector = await ReplyCollector.StartAsync(broker, responseQueue, responseQueue, ledger, cancellationToken);
            console.Line("{0}: open loop at {1:F1} msg/s (half the seed throughput) for {2} s", name, rate, settings.SteadySeconds);
            Task publishing = PublishAsync(new PublishSchedule(null, rate, TimeSpan.FromSeconds(settings.SteadySeconds)), ValueCountMix.Seed, RequestQueue, responseQueue, ledger, cancellationToken);
            observation = await ObserveAsync(name, pod, sandbox, ledger, null, cancellationToken, publishing);
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
    private async Task<PodObservation> ObserveAsync(string name, PodProcess pod, IPodSandbox sandbox, MessageLedger ledger, int? expected, CancellationToken cancellationToken, Task? publishing = null, ObservationExtras? extras = null)
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
        Task<BlipOutcome>? blip = metrics is null || extras?.Blip is null ? null : extras.Blip.RunAsync(metrics, console, name, stopWaitingForBlip.Token);
        await using CpuTimeline cpuTimeline = CpuTimeline.Start(sandbox, pod);
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
                if (await BenchQueues.CountAsync(broker, deadLetters, cancellationToken) is { } dead && dead > 0 && ledger.Missing <= dead)
                {
                    console.Line("{0}: no reply for {1:F0} s; the {2} unanswered requests may all be among the {3} in {4}: stopping", name, (now - progressAt).TotalSeconds, ledger.Missing, dead, deadLetters);
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

    private async Task PublishAsync(PublishSchedule schedule, ValueCountMix values, string queue, string responseQueue, MessageLedger ledger, CancellationToken cancellationToken)
    {
        await using RequestPublisher publisher = await RequestPublisher.ConnectAsync(broker, $"qi-bench-{console.RunId}", 2, 5000, cancellationToken);
        await publisher.PublishAsync(schedule, values, queue, responseQueue, ledger, _random, cancellationToken);
        if (publisher.Failed > 0)
        {
            throw new InvalidOperationException($"{publisher.Failed} requests could not be published to {ConnectionStrings.Redact(broker)}");
        }
    }

    private async Task DeclareRequestQueueAsync(CancellationToken cancellationToken) =>
        await BrokerChecks.EnsureRequestQueueAsync(broker, RequestQueue, declare: true, cancellationToken);

    private async Task PurgeAsync(string queue, CancellationToken cancellationToken)
    {
        await using IConnection connection = await BrokerConnections.OpenAsync(broker, $"qi-bench-{console.RunId}-purge", cancellationToken);
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
    private PodCommand WorkerProcess(int? maxInFlight, string ioDelay, string mode, string queue = RequestQueue, bool persistentReplies = false)
    {
        // Probes and /metrics on a free port: the default 8080 may be taken on a shared machine.
        int observabilityPort = FreeTcpPort();
        var environment = new Dictionary<string, string>
        {
            ["RabbitMQ__ConnectionString"] = broker,
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

        return new PodCommand(
            "worker",
            "dotnet",
            [Path.GetFullPath(settings.WorkerPath)],
            environment,
            // The app's own directory, as the image's WORKDIR /app: the host watches its content root for
            // configuration changes, and a repository checkout (over a thousand directories) slowed the cold start.
            Path.GetDirectoryName(Path.GetFullPath(settings.WorkerPath)),
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

    private sealed record PodObservation(double StartedAt, double? PeakRssMiB, double? CpuSeconds, PodUsage Usage, bool ExitedEarly, bool TimedOut, int? ExitCode, double? ExitedAfterSeconds, BlipOutcome? Blip, long? PeakInFlight, DrainCpu? DrainCpu, InferenceBatches? Batches);

    /// <summary>What the production scenarios change in a drain; the defaults are the classic seed drain's.</summary>
    private sealed record DrainVariant
    {
        public string Queue { get; init; } = RequestQueue;

        /// <summary>Declare <see cref="Queue"/> as a quorum queue (the benchmark declares it, not the worker).</summary>
        public bool Quorum { get; init; }

        public ValueCountMix Values { get; init; } = ValueCountMix.Seed;

        public bool DurableReplies { get; init; }

        public bool CountDeadLetters { get; init; }

        public BrokerBlip? Blip { get; init; }

        public TimeSpan? QuietAfterDrain { get; init; }
    }

    private sealed record ObservationExtras(string? DeadLetterQueue, BrokerBlip? Blip, int? MetricsPort, TimeSpan? QuietAfterDrain);

    /// <param name="MetricsPort">The worker's Observability:Port (/metrics); null for the echo.</param>
    private sealed record PodCommand(string Label, string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment, string? WorkingDirectory = null, int? MetricsPort = null)
    {
        public PodProcess Start(IPodSandbox sandbox, string logPath) => PodProcess.Start(sandbox, FileName, Arguments, Environment, logPath, WorkingDirectory);
    }
}
