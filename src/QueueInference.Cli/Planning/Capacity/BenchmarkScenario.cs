namespace QueueInference.Cli.Planning.Capacity;

/// <summary>
/// One scenario of the benchmark's results file, as read: the contract's fields (null when absent, as for a
/// cold-start or steady-load scenario) plus optional ones that say whether it is a drain of the same work and
/// what its steady rate was.
/// </summary>
/// <param name="ThroughputPerSecond">Drain rate of one pod, msg/s: replies ÷ (first pick-up to last reply).</param>
/// <param name="DrainSeconds">How long that pod took to drain <paramref name="Backlog"/>.</param>
/// <param name="OfferedRatePerSecond">Set for a steady open-loop load, which is not a backlog drain.</param>
/// <param name="TransformationMode">Which CPU work each message did; scenarios with other work have another capacity.</param>
/// <param name="Process">What consumed the backlog: <c>worker</c>, or <c>echo</c> for the benchmark's ceiling.</param>
/// <param name="SustainedPerSecond">
/// Replies per second between the 10th and 90th percentile response times (the benchmark leaves it null for
/// fewer than 20 replies and for a cold start).
/// </param>
/// <param name="Values">Values per request (<c>5</c>, the seed's, when absent); other sizes are other work.</param>
/// <param name="Disturbed">The benchmark disturbed the broker mid-drain (a blip scenario): not a plain drain.</param>
public sealed record BenchmarkScenario(
    string Name,
    double? ThroughputPerSecond,
    double? DrainSeconds,
    long? Backlog,
    int? MaxInFlight,
    double? IoDelaySeconds,
    double? ColdStartSeconds,
    double? OfferedRatePerSecond = null,
    string? TransformationMode = null,
    double? SustainedPerSecond = null,
    string? Process = null,
    string? Values = null,
    bool Disturbed = false)
{
    /// <summary>
    /// The pod's steady service rate, msg/s: <see cref="SustainedPerSecond"/> when the file has a positive one,
    /// else <see cref="ThroughputPerSecond"/>. The drain throughput is taken from the first pick-up, so it
    /// contains the first I/O wave (nothing is answered before the I/O step's delay has passed once) and the
    /// ramp-up and tail; the simulator models that wave itself, and a rate that already holds it would count it
    /// twice. The sustained rate is measured on the middle of the drain, without the ramp-up and the tail.
    /// </summary>
    public double? SteadyRatePerSecond => SustainedPerSecond is > 0 ? SustainedPerSecond : ThroughputPerSecond;

    /// <summary>The JSON field <see cref="SteadyRatePerSecond"/> came from, or null when there is none.</summary>
    public string? SteadyRateField => SustainedPerSecond is > 0
        ? "sustainedPerSecond"
        : ThroughputPerSecond is null ? null : "throughputPerSecond";

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
