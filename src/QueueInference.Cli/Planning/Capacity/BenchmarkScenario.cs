namespace QueueInference.Cli.Planning.Capacity;

/// <summary>
/// One scenario of the benchmark's results file, as read: the contract's fields (null when absent, as for a
/// cold-start or steady-load scenario) plus two optional ones that say whether it is a drain of the same work.
/// </summary>
/// <param name="ThroughputPerSecond">Drain rate of one pod, msg/s.</param>
/// <param name="DrainSeconds">How long that pod took to drain <paramref name="Backlog"/>.</param>
/// <param name="OfferedRatePerSecond">Set for a steady open-loop load, which is not a backlog drain.</param>
/// <param name="TransformationMode">Which CPU work each message did; scenarios with other work have another capacity.</param>
public sealed record BenchmarkScenario(
    string Name,
    double? ThroughputPerSecond,
    double? DrainSeconds,
    long? Backlog,
    int? MaxInFlight,
    double? IoDelaySeconds,
    double? ColdStartSeconds,
    double? OfferedRatePerSecond = null,
    string? TransformationMode = null)
{
    /// <summary>The contract's required fields this scenario lacks, by their JSON names.</summary>
    public IReadOnlyList<string> MissingFields()
    {
        var missing = new List<string>();
        if (ThroughputPerSecond is null)
        {
            missing.Add("throughputPerSecond");
        }

        if (DrainSeconds is null)
        {
            missing.Add("drainSeconds");
        }

        if (Backlog is null)
        {
            missing.Add("backlog");
        }

        if (MaxInFlight is null)
        {
            missing.Add("maxInFlight");
        }

        if (IoDelaySeconds is null)
        {
            missing.Add("ioDelaySeconds");
        }

        return missing;
    }
}
