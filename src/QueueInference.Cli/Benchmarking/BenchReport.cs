namespace QueueInference.Cli.Benchmarking;

/// <summary>results/benchmark.json: the machine, versions, settings, the rows and the targets.</summary>
public sealed record BenchReport(
    string RunId,
    DateTimeOffset StartedAt,
    double DurationSeconds,
    MachineInfo Machine,
    string Sandbox,
    BenchSettings Settings,
    TransformationCostRow Transformation,
    double CpuLimitPerSecond,
    double? HeadlineSeedToCeilingRatio,
    bool Interrupted,
    IReadOnlyList<ScenarioResult> Scenarios,
    IReadOnlyList<BenchTarget> Targets);
