namespace QueueInference.Cli.Benchmarking;

/// <summary>One read of the worker's gauges: requests held, and whether its consumer is connected to the broker.</summary>
public sealed record WorkerMetricsSample(long? InFlight, bool? Connected);
