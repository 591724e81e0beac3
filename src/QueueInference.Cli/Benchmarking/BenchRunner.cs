using System.Globalization;
using System.Text;
using QueueInference.Cli.LoadTesting;
using QueueInference.Pipeline.Messaging;
using RabbitMQ.Client;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// Runs the scenarios one after another against one broker: for each, an empty request queue,
/// a backlog published by the load tester's publisher, the process started inside a fresh
/// 1 CPU / 512 MiB pod, replies collected until the backlog is drained, the process killed.
/// </summary>
public sealed class BenchRunner(BenchSettings settings, RunConsole console, string broker)
{
    private const string RequestQueue = "qi_bench_requests";
    private readonly string _logDirectory = Path.Combine(settings.OutputDirectory, "benchmark-logs");
    private readonly Random _random = new(20260101);

    private readonly List<ScenarioResult> _completed = [];

    public string? SandboxDescription { get; private set; }

    public string LogDirectory => _logDirectory;

    /// <summary>The rows measured so far: what an interrupted run still reports.</summary>
    public IReadOnlyList<ScenarioResult> Completed => _completed;

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(double cpuLimitPerSecond, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_logDirectory);
        await DeclareRequestQueueAsync(cancellationToken);
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
                _ => await DrainAsync("one-at-a-time", "one message in flight (MaxInFlight=1), as the stock Functions trigger dispatches", WorkerProcess(1, ioDelay, "Fast"), settings.OneAtATimeBacklog, 1, settings.IoDelay.TotalSeconds, "Fast", cancellationToken),
            };
            result = Judge(result, echo, seed, cpuLimitPerSecond, results.FirstOrDefault(r => r.Name == "steady-echo"));
            echo = scenario == "echo" ? result : echo;
            seed = scenario == "seed" ? result : seed;
            results.Add(result);
            console.Line("{0}: throughput {1} msg/s, drain {2} s, ratio {3} to {4}, peak RSS {5} MiB, limit hit {6}",
                result.Name, BenchReportWriter.N(result.ThroughputPerSecond, "F1"), BenchReportWriter.N(result.DrainSeconds, "F2"),
                BenchReportWriter.N(result.Ratio, "F3"), result.RatioTo ?? "–", BenchReportWriter.N(result.PeakRssMiB, "F0"), result.LimitHit?.ToString() ?? "n/a");
        }

        return results;
    }

    /// <summary>Every row's ratio to the echo ceiling, the CPU limit or a cold-start goal, as the issue asks.</summary>
    private static ScenarioResult Judge(ScenarioResult result, ScenarioResult? echo, ScenarioResult? seed, double cpuLimit, ScenarioResult? echoSteady)
    {
        double? ceiling = echo?.ThroughputPerSecond;
        double? ToCeiling(double? value) => value is { } v && ceiling is { } c && c > 0 ? v / c : null;
        switch (result.Name)
        {
            case "echo":
                return result with { Ratio = 1.0, RatioTo = "echo ceiling" };
            case "seed":
                double? seedRatio = ToCeiling(result.ThroughputPerSecond);
                return result with { Ratio = seedRatio, RatioTo = "echo ceiling", Target = ">= 0.85 of the echo ceiling", TargetMet = BenchTargets.Met(seedRatio, v => v >= 0.85) };
            case "cpu-bound":
                double? cpuRatio = result.ThroughputPerSecond / cpuLimit;
                return result with { Ratio = cpuRatio, RatioTo = $"CPU limit ({cpuLimit:F0} msg/s)", Target = ">= 0.90 of the CPU limit", TargetMet = BenchTargets.Met(cpuRatio, v => v >= 0.90) };
            case "steady":
                return result with
                {
                    Ratio = ToCeiling(result.ThroughputPerSecond),
                    RatioTo = "echo ceiling",
                    Target = "overhead p99 <= 25 ms",
                    TargetMet = BenchTargets.Met(result.Overhead?.P99, v => v <= 0.025),
                    Note = echoSteady?.Overhead is { } environment
                        ? string.Create(CultureInfo.InvariantCulture, $"the echo under the same load: overhead p99 {environment.P99 * 1000:F1} ms")
                        : null,
                };
            case "cold-start":
                return result with { Ratio = result.ColdStartSeconds / 0.5, RatioTo = "cold-start goal (0.5 s)", Target = "<= 500 ms to first reply", TargetMet = BenchTargets.Met(result.ColdStartSeconds, v => v <= 0.5) };
            default:
                return result with
                {
                    Ratio = ToCeiling(result.ThroughputPerSecond),
                    RatioTo = "echo ceiling",
                    Note = seed?.ThroughputPerSecond is { } s && result.ThroughputPerSecond is { } one && one > 0
                        ? string.Create(CultureInfo.InvariantCulture, $"the seed scenario is {s / one:F0}x faster")
                        : null,
                };
        }
    }

    private async Task<ScenarioResult> DrainAsync(string name, string description, PodCommand command, int backlog, int maxInFlight, double ioDelaySeconds, string mode, CancellationToken cancellationToken)
    {
        await PurgeAsync(cancellationToken);
        var ledger = new MessageLedger(TimeSpan.FromHours(1));
        string responseQueue = $"qi-bench-{console.RunId}-{name}";
        await using ReplyCollector collector = await ReplyCollector.StartAsync(broker, $"qi-bench-{console.RunId}-{name}", responseQueue, ledger, cancellationToken);
        console.Line("{0}: publishing a backlog of {1} requests", name, backlog);
        await PublishAsync(new PublishSchedule(backlog, null, null), responseQueue, ledger, cancellationToken);

        using IPodSandbox sandbox = PodSandboxes.Create($"qi-bench-{console.RunId}-{name}");
        SandboxDescription ??= sandbox.Description;
        console.Line("{0}: starting {1} in the pod ({2})", name, command.Label, sandbox.Description);
        PodObservation observation;
        await using (PodProcess pod = command.Start(sandbox, Path.Combine(_logDirectory, $"{console.RunId}-{name}.log")))
        {
            observation = await ObserveAsync(name, pod, sandbox, ledger, backlog, cancellationToken);
        }

        LoadSummary summary = LoadSummary.Create(console.RunId, RequestQueue, ledger, 0);
        IReadOnlyList<CompletedMessage> completed = ledger.SnapshotCompleted();
        double? drain = completed.Count == 0 ? null : completed.Max(c => c.ResponseTimestamp) - completed.Min(c => c.PickUpTimestamp);
        return Measured(name, description, command, summary, observation) with
        {
            Backlog = backlog,
            MaxInFlight = maxInFlight,
            IoDelaySeconds = ioDelaySeconds,
            TransformationMode = mode,
            DrainSeconds = drain,
            // One request says nothing about a rate.
            ThroughputPerSecond = drain > 0 && backlog > 1 ? summary.Replied / drain : null,
            SustainedPerSecond = SustainedRate(completed),
            ColdStartSeconds = completed.Count == 0 ? null : completed.Min(c => c.ReceivedTimestamp) - observation.StartedAt,
        };
    }

    private async Task<ScenarioResult> SteadyAsync(string name, string description, PodCommand command, double offeredRate, double ioDelaySeconds, CancellationToken cancellationToken)
    {
        double rate = Math.Max(1, offeredRate);
        await PurgeAsync(cancellationToken);
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
                await PublishAsync(new PublishSchedule(200, null, null), $"qi-bench-{console.RunId}-{name}-warmup", warmUp, cancellationToken);
                await warmUpCollector.WaitForAllAsync(TimeSpan.FromMinutes(2), cancellationToken);
            }

            string responseQueue = $"qi-bench-{console.RunId}-{name}";
            await using ReplyCollector collector = await ReplyCollector.StartAsync(broker, responseQueue, responseQueue, ledger, cancellationToken);
            console.Line("{0}: open loop at {1:F1} msg/s (half the seed throughput) for {2} s", name, rate, settings.SteadySeconds);
            Task publishing = PublishAsync(new PublishSchedule(null, rate, TimeSpan.FromSeconds(settings.SteadySeconds)), responseQueue, ledger, cancellationToken);
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
        CpuSeconds = observation.CpuSeconds,
        CpuThrottledSeconds = observation.Usage.ThrottledSeconds,
        PickUp = summary.PickUp,
        Processing = summary.Processing,
        Total = summary.Total,
    };

    /// <summary>Waits for every reply (or the timeout, or the process dying), printing progress; reads the pod's counters before it is stopped.</summary>
    private async Task<PodObservation> ObserveAsync(string name, PodProcess pod, IPodSandbox sandbox, MessageLedger ledger, int? expected, CancellationToken cancellationToken, Task? publishing = null)
    {
        DateTime deadline = DateTime.UtcNow + settings.ScenarioTimeout;
        DateTime nextLine = DateTime.UtcNow.AddSeconds(5);
        bool exitedEarly = false;
        while (DateTime.UtcNow < deadline)
        {
            bool publishDone = publishing is null || publishing.IsCompleted;
            if (publishDone && ledger.Missing == 0 && ledger.Replied >= (expected ?? 0))
            {
                break;
            }

            if (pod.HasExited)
            {
                exitedEarly = true;
                console.Line("{0}: the process exited before the backlog was drained (see {1})", name, _logDirectory);
                break;
            }

            if (DateTime.UtcNow >= nextLine)
            {
                console.Line("{0}: replied {1} of {2}", name, ledger.Replied, ledger.Sent);
                nextLine = DateTime.UtcNow.AddSeconds(5);
            }

            await Task.Delay(20, cancellationToken);
        }

        if (publishing is not null)
        {
            await publishing;
        }

        return new PodObservation(pod.StartedAt, pod.PeakRssMiB(), pod.CpuSeconds(), sandbox.ReadUsage(), exitedEarly);
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

    private async Task PublishAsync(PublishSchedule schedule, string responseQueue, MessageLedger ledger, CancellationToken cancellationToken)
    {
        await using RequestPublisher publisher = await RequestPublisher.ConnectAsync(broker, $"qi-bench-{console.RunId}", 2, 5000, cancellationToken);
        await publisher.PublishAsync(schedule, RequestQueue, responseQueue, ledger, _random, cancellationToken);
        if (publisher.Failed > 0)
        {
            throw new InvalidOperationException($"{publisher.Failed} requests could not be published to {ConnectionStrings.Redact(broker)}");
        }
    }

    private async Task DeclareRequestQueueAsync(CancellationToken cancellationToken) =>
        await BrokerChecks.EnsureRequestQueueAsync(broker, RequestQueue, declare: true, cancellationToken);

    private async Task PurgeAsync(CancellationToken cancellationToken)
    {
        await using IConnection connection = await BrokerConnections.OpenAsync(broker, $"qi-bench-{console.RunId}-purge", cancellationToken);
        await using IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.QueuePurgeAsync(RequestQueue, cancellationToken);
    }

    /// <summary>The broker's version, from the connection's server properties.</summary>
    public async Task<string?> ServerVersionAsync(CancellationToken cancellationToken)
    {
        await using IConnection connection = await BrokerConnections.OpenAsync(broker, $"qi-bench-{console.RunId}-version", cancellationToken);
        return connection.ServerProperties?.TryGetValue("version", out object? version) == true && version is byte[] bytes ? Encoding.UTF8.GetString(bytes) : null;
    }

    private PodCommand WorkerProcess(int maxInFlight, string ioDelay, string mode) => new(
        "worker",
        "dotnet",
        [Path.GetFullPath(settings.WorkerPath)],
        new Dictionary<string, string>
        {
            ["RabbitMQ__ConnectionString"] = broker,
            ["RabbitMQ__RequestQueue"] = RequestQueue,
            ["Consumer__MaxInFlight"] = maxInFlight.ToString(CultureInfo.InvariantCulture),
            ["IoStep__Delay"] = ioDelay,
            ["Transformation__Mode"] = mode,
            // Probes and /metrics on a free port: the default 8080 may be taken on a shared machine.
            ["Observability__Port"] = FreeTcpPort().ToString(CultureInfo.InvariantCulture),
            ["DOTNET_ENVIRONMENT"] = "Production",
        },
        // The app's own directory, as the image's WORKDIR /app: the host watches its content root for
        // configuration changes, and a repository checkout (over a thousand directories) slowed the cold start.
        Path.GetDirectoryName(Path.GetFullPath(settings.WorkerPath)));

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

    private sealed record PodObservation(double StartedAt, double? PeakRssMiB, double? CpuSeconds, PodUsage Usage, bool ExitedEarly);

    private sealed record PodCommand(string Label, string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment, string? WorkingDirectory = null)
    {
        public PodProcess Start(IPodSandbox sandbox, string logPath) => PodProcess.Start(sandbox, FileName, Arguments, Environment, logPath, WorkingDirectory);
    }
}
