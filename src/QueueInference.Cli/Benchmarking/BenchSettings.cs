namespace QueueInference.Cli.Benchmarking;

/// <summary>What <c>qi bench</c> runs. The defaults are the issue's: a 100000-request backlog and 60 s of steady load.</summary>
public sealed record BenchSettings
{
    public static readonly IReadOnlyList<string> AllScenarios = ["echo", "seed", "cpu-bound", "steady", "cold-start", "one-at-a-time"];

    /// <summary>An existing broker; null starts a private one.</summary>
    public string? Broker { get; init; }

    /// <summary>AMQP port of the private broker; 0 picks a free one.</summary>
    public int BrokerPort { get; init; }

    public string WorkerPath { get; init; } = string.Empty;

    public int Backlog { get; init; } = 100_000;

    /// <summary>Backlog of the cpu-bound scenario; null means <see cref="Backlog"/>.</summary>
    public int? CpuBoundBacklog { get; init; }

    public int OneAtATimeBacklog { get; init; } = 5;

    public int SteadySeconds { get; init; } = 60;

    public TimeSpan IoDelay { get; init; } = TimeSpan.FromSeconds(3);

    public int MaxInFlight { get; init; } = 20_000;

    public TimeSpan ScenarioTimeout { get; init; } = TimeSpan.FromMinutes(15);

    public IReadOnlyList<string> Scenarios { get; init; } = AllScenarios;

    public string OutputDirectory { get; init; } = "results";

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!File.Exists(WorkerPath))
        {
            errors.Add($"--worker: no worker at '{WorkerPath}' (run scripts/bench.sh, which publishes it, or build it: dotnet build -c Release src/QueueInference.Worker)");
        }

        if (Backlog < 1 || CpuBoundBacklog is < 1 || OneAtATimeBacklog < 1)
        {
            errors.Add("backlogs must be at least 1");
        }

        if (SteadySeconds < 1)
        {
            errors.Add("--steady-seconds must be at least 1");
        }

        if (MaxInFlight is < 1 or > 65535)
        {
            errors.Add("--max-in-flight must be between 1 and 65535 (the echo ceiling uses it as its prefetch)");
        }

        foreach (string unknown in Scenarios.Except(AllScenarios))
        {
            errors.Add($"unknown scenario '{unknown}' (known: {string.Join(", ", AllScenarios)})");
        }

        if (Scenarios.Contains("steady") && !Scenarios.Contains("seed"))
        {
            errors.Add("steady runs at half the seed scenario's throughput: include 'seed'");
        }

        return errors;
    }
}
