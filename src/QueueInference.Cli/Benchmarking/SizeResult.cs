namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// One request size of a scenario with a mix of sizes. Drain = first pick-up to last response of
/// requests of this size; throughput = their replies ÷ that drain, comparable with a single-size row's.
/// </summary>
public sealed record SizeResult(int Values, long Sent, long Replied, long Duplicates, double? DrainSeconds, double? ThroughputPerSecond, double? SustainedPerSecond);
