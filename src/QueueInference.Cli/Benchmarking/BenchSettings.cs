using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Benchmarking;

/// <summary>What <c>qi bench</c> runs. The defaults are the issue's: a 100000-request backlog and 60 s of steady load.</summary>
public sealed record BenchSettings
{
    /// <summary>What <c>qi bench</c> runs without <c>-s</c>.</summary>
    public static readonly IReadOnlyList<string> DefaultScenarios = ["echo", "seed", "cpu-bound", "steady", "cold-start", "one-at-a-time"];

    /// <summary>
    /// The production scenarios (large requests, a size mix, a quorum request queue, a request queue with
    /// arguments, a load that rises, broker blips, the loss of a cluster node): run only when named with <c>-s</c>;
    /// they add minutes, and on a worker that fails them up to a scenario timeout each.
    /// </summary>
    public static readonly IReadOnlyList<string> ProductionScenarios = ["seed-quorum", "seed-max-length", "rising", "large", "mixed", "blip-close", "blip-stop", "cluster-kill"];

    /// <summary>
    /// The model rows (issue 14): the worker running a model that costs CPU, batched and unbatched. Run only when
    /// named with <c>-s</c>, with the echo row, whose CPU per message their ceiling uses.
    /// </summary>
    public static readonly IReadOnlyList<string> ModelScenarios = ["model-heavy", "model-heavy-unbatched"];

    /// <summary>Every scenario, in the order they run (rows that compare with another row come after it).</summary>
    public static readonly IReadOnlyList<string> KnownScenarios = ["echo", "seed", "seed-quorum", "seed-max-length", "cpu-bound", "steady", "rising", "cold-start", "one-at-a-time", "large", "mixed", "blip-close", "blip-stop", "cluster-kill", "model-heavy", "model-heavy-unbatched"];

    /// <summary>Values per request of the model rows: the generated MLPs' 64 features.</summary>
    public const int ModelRequestValues = 64;

    /// <summary>The script that generates the model rows' model, relative to the repository root (where scripts/bench.sh runs qi).</summary>
    public const string MakeModelScript = "models/make_model.py";

    /// <summary>Where the model rows' model is generated (git-ignored), relative to the repository root.</summary>
    public const string GeneratedModelsDirectory = "models/generated";

    /// <summary>Values per request of the large scenario: the contract's most (Contract:MaxDataLength), a 61.5 KB body.</summary>
    public const int LargeRequestValues = 4096;

    /// <summary>An existing broker; null starts a private one.</summary>
    public string? Broker { get; init; }

    /// <summary>AMQP port of the private broker; 0 picks a free one.</summary>
    public int BrokerPort { get; init; }

    public string WorkerPath { get; init; } = string.Empty;

    /// <summary>The worker is a dll run by <c>dotnet</c> (JIT), not the native executable the image ships.</summary>
    public bool WorkerIsManaged => WorkerPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    public int Backlog { get; init; } = 100_000;

    /// <summary>Backlog of the cpu-bound scenario; null means <see cref="Backlog"/>.</summary>
    public int? CpuBoundBacklog { get; init; }

    public int OneAtATimeBacklog { get; init; } = 5;

    public int SteadySeconds { get; init; } = 60;

    /// <summary>The rising row's light start, before it offers the steady row's rate for <see cref="SteadySeconds"/>.</summary>
    public static readonly TimeSpan RisingLightSeconds = TimeSpan.FromSeconds(20);

    /// <summary>The rising row's light start offers the seed throughput divided by this.</summary>
    public const int RisingLightDivisor = 8;

    public TimeSpan IoDelay { get; init; } = TimeSpan.FromSeconds(3);

    public int MaxInFlight { get; init; } = 20_000;

    public TimeSpan ScenarioTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Requests of the large scenario.</summary>
    public int LargeBacklog { get; init; } = 15_000;

    /// <summary>Requests of the mixed scenario.</summary>
    public int MixedBacklog { get; init; } = 100_000;

    /// <summary>The mixed scenario's sizes (<see cref="ValueCountMix"/> syntax); must include the seed's 5.</summary>
    public string MixedValues { get; init; } = "5:95,4096:5";

    /// <summary>The blip scenarios and cluster-kill disturb the broker once the worker holds this many requests (or half the backlog, if smaller).</summary>
    public int BlipInFlight { get; init; } = 5000;

    /// <summary>The worker's I/O step in blip-stop: long enough that the outage falls inside the requests' processing.</summary>
    public TimeSpan BlipStopIoDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time between stop_app returning and start_app in blip-stop.</summary>
    public TimeSpan BlipOutage { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// cluster-kill: how long the killed node stays down before it is started again while the worker runs, as a
    /// StatefulSet restarts a RabbitMQ pod; zero leaves it down for the rest of the row.
    /// </summary>
    public TimeSpan ClusterNodeDown { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests of each model row: few enough that the unbatched row (hundreds per second here) ends in a minute or two.</summary>
    public int ModelHeavyBacklog { get; init; } = 30_000;

    /// <summary>
    /// The worker's I/O step in the model rows: none by default, since a drain's first I/O delay is time the pod cannot
    /// compute, which the rows' ceiling (pod CPU for the echo's work plus the model) does not count.
    /// </summary>
    public TimeSpan ModelHeavyIoDelay { get; init; } = TimeSpan.Zero;

    /// <summary>The model rows' .onnx file; null generates model-heavy with <see cref="MakeModelScript"/>.</summary>
    public string? HeavyModel { get; init; }

    public IReadOnlyList<string> Scenarios { get; init; } = DefaultScenarios;

    /// <summary>
    /// The pods' CPU priority against the broker and this tool, which share the machine with them (cgroup v1 cpu.shares;
    /// on cgroup v2 the cpu.weight Kubernetes converts them to). At the kernel's default every thread of theirs competes
    /// with the whole pod, and a pod whose rate keeps the broker busy gets less than its 1 CPU (the row's note says so).
    /// <see cref="PodLimits.MaxCpuShares"/> gives the pod its CPU whenever it can use it, as on a node of its own; the
    /// echo then wakes for every few deliveries instead of reading a pile of them, which raises its CPU per message,
    /// the ceilings' messaging term. So that stays a setting to diagnose with, not the default.
    /// </summary>
    public int PodCpuShares { get; init; } = PodLimits.DefaultCpuShares;

    public string OutputDirectory { get; init; } = "results";

    /// <summary>KEY=VALUE pairs added to every worker's environment after the bench's own (tracing, for the cost of OpenTelemetry).</summary>
    public IReadOnlyList<string> WorkerEnvironment { get; init; } = [];

    /// <summary><see cref="WorkerEnvironment"/> as variables; call after <see cref="Validate"/>.</summary>
    public IEnumerable<KeyValuePair<string, string>> WorkerVariables() =>
        WorkerEnvironment.Select(pair => pair.Split('=', 2)).Select(parts => new KeyValuePair<string, string>(parts[0], parts[1]));

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!File.Exists(WorkerPath))
        {
            errors.Add($"--worker: no worker at '{WorkerPath}' (run scripts/bench.sh, which publishes it, or build it: dotnet build -c Release src/QueueInference.Worker)");
        }

        if (Backlog < 1 || CpuBoundBacklog is < 1 || OneAtATimeBacklog < 1 || LargeBacklog < 1 || MixedBacklog < 1 || ModelHeavyBacklog < 1)
        {
            errors.Add("backlogs must be at least 1");
        }

        if (PodCpuShares is < 2 or > PodLimits.MaxCpuShares)
        {
            errors.Add($"--pod-cpu-shares must be between 2 and {PodLimits.MaxCpuShares} (cgroup v1 cpu.shares; {PodLimits.DefaultCpuShares} is the kernel's default)");
        }

        if (SteadySeconds < 1)
        {
            errors.Add("--steady-seconds must be at least 1");
        }

        if (MaxInFlight is < 1 or > 65535)
        {
            errors.Add("--max-in-flight must be between 1 and 65535 (the echo ceiling uses it as its prefetch)");
        }

        foreach (string pair in WorkerEnvironment.Where(pair => pair.IndexOf('=', StringComparison.Ordinal) < 1))
        {
            errors.Add($"--worker-env '{pair}': write KEY=VALUE");
        }

        foreach (string unknown in Scenarios.Except(KnownScenarios))
        {
            errors.Add($"unknown scenario '{unknown}' (known: {string.Join(", ", KnownScenarios)})");
        }

        if (!ValueCountMix.TryParse(MixedValues, out ValueCountMix? mix, out string mixError))
        {
            errors.Add(mixError.Replace("--values", "--mixed-values", StringComparison.Ordinal));
        }
        else if (mix!.ShareOf(SeedRequest.DataLength) == 0)
        {
            errors.Add($"--mixed-values must include seed-size ({SeedRequest.DataLength}-value) requests: their throughput is what the mixed row reports");
        }

        if (BlipInFlight < 1)
        {
            errors.Add("--blip-in-flight must be at least 1");
        }

        if (BlipStopIoDelay < TimeSpan.Zero || BlipOutage < TimeSpan.Zero || ClusterNodeDown < TimeSpan.Zero)
        {
            errors.Add("--blip-io-delay, --blip-outage and --cluster-node-down must not be negative");
        }

        if (Broker is not null && Scenarios.Any(s => s.StartsWith("blip-", StringComparison.Ordinal)))
        {
            errors.Add("the blip scenarios run rabbitmqctl against the benchmark's private broker: leave out --broker to run them");
        }

        if (Scenarios.Contains("steady") && !Scenarios.Contains("seed"))
        {
            errors.Add("steady runs at half the seed scenario's throughput: include 'seed'");
        }

        if (Scenarios.Contains("rising") && !Scenarios.Contains("seed"))
        {
            errors.Add("rising runs at an eighth, then half, of the seed scenario's throughput: include 'seed'");
        }

        errors.AddRange(ValidateModelRows());

        return errors;
    }

    /// <summary>The model rows' own checks: their ceiling needs the echo row, and their model a file or the script that makes it.</summary>
    private IEnumerable<string> ValidateModelRows()
    {
        if (!Scenarios.Any(ModelScenarios.Contains))
        {
            yield break;
        }

        if (!Scenarios.Contains("echo"))
        {
            yield return "the model rows' ceiling uses the echo row's CPU per message: include 'echo'";
        }

        if (ModelHeavyIoDelay < TimeSpan.Zero)
        {
            yield return "--model-heavy-io-delay must not be negative";
        }

        if (HeavyModel is { } model && !File.Exists(model))
        {
            yield return $"--heavy-model: no file at '{model}'";
        }
        else if (HeavyModel is null && !File.Exists(MakeModelScript))
        {
            yield return $"the model rows generate their model with {MakeModelScript}, which is not under {Directory.GetCurrentDirectory()}: run from the repository root (scripts/bench.sh does) or pass --heavy-model";
        }
    }
}
