namespace QueueInference.Cli.Benchmarking;

/// <summary>One of the goals and where this run stands against it.</summary>
public sealed record BenchTarget(string Goal, string Actual, bool? Met);
