using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// One row of the benchmark. Field names are read by the scale planner (qi plan): keep them.
/// Times in seconds, memory in MiB; <see cref="Ratio"/> is against <see cref="RatioTo"/>.
/// </summary>
public sealed record ScenarioResult
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    public required string Process { get; init; }

    public int Backlog { get; init; }

    public int MaxInFlight { get; init; }

    public double IoDelaySeconds { get; init; }

    public string TransformationMode { get; init; } = "none";

    public long Sent { get; init; }

    public long Replied { get; init; }

    public long Missing { get; init; }

    public long Duplicates { get; init; }

    /// <summary>First pick-up to last response: how long the pod took to empty the backlog.</summary>
    public double? DrainSeconds { get; init; }

    /// <summary>Replies ÷ <see cref="DrainSeconds"/> (drain scenarios), or the reply rate (steady).</summary>
    public double? ThroughputPerSecond { get; init; }

    /// <summary>Replies per second between the 10th and 90th percentile of response times: the rate once the pipeline is full.</summary>
    public double? SustainedPerSecond { get; init; }

    public double? OfferedRatePerSecond { get; init; }

    /// <summary>Process start to first reply received.</summary>
    public double? ColdStartSeconds { get; init; }

    public double? PeakRssMiB { get; init; }

    public double? CgroupPeakMiB { get; init; }

    public bool? LimitHit { get; init; }

    public bool? OomKilled { get; init; }

    public bool ExitedEarly { get; init; }

    public double? CpuSeconds { get; init; }

    public double? CpuThrottledSeconds { get; init; }

    public LatencyDistribution? PickUp { get; init; }

    public LatencyDistribution? Processing { get; init; }

    public LatencyDistribution? Total { get; init; }

    /// <summary>Steady only: total latency minus the I/O delay, i.e. the pipeline's own overhead.</summary>
    public LatencyDistribution? Overhead { get; init; }

    public double? Ratio { get; init; }

    public string? RatioTo { get; init; }

    public string? Target { get; init; }

    public bool? TargetMet { get; init; }

    public string? Note { get; init; }
}
