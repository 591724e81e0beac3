namespace QueueInference.Cli.Benchmarking;

/// <summary>The pod's CPU time used so far (<paramref name="CpuSeconds"/>) at <paramref name="UnixSeconds"/>.</summary>
public readonly record struct CpuSample(double UnixSeconds, double CpuSeconds);
