namespace QueueInference.Cli.Benchmarking;

/// <summary>What the pod's limits saw: cgroup memory peak (includes page cache), whether the limit was reached, CPU throttling.</summary>
public sealed record PodUsage(double? CgroupPeakMiB, bool? LimitHit, bool? OomKilled, double? ThrottledSeconds);
