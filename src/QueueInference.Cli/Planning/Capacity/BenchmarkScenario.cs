namespace QueueInference.Cli.Planning.Capacity;

/// <summary>One scenario of the benchmark's results file (the fields the planner needs; the file may hold more).</summary>
/// <param name="ThroughputPerSecond">Drain rate of one pod, msg/s.</param>
/// <param name="DrainSeconds">How long that pod took to drain <paramref name="Backlog"/>.</param>
public sealed record BenchmarkScenario(
    string Name,
    double ThroughputPerSecond,
    double DrainSeconds,
    long Backlog,
    int MaxInFlight,
    double IoDelaySeconds,
    double? ColdStartSeconds);
