namespace QueueInference.Cli.Planning.Profiles;

/// <summary><paramref name="BaseRate"/> msg/s, with <paramref name="PeakRate"/> during [start, start + duration).</summary>
public sealed record SpikeProfile(double BaseRate, double PeakRate, double StartSeconds, double DurationSeconds) : ILoadProfile
{
    public double RateAt(double timeSeconds) =>
        timeSeconds >= StartSeconds && timeSeconds < StartSeconds + DurationSeconds ? PeakRate : BaseRate;

    public string Description =>
        FormattableString.Invariant($"spike {BaseRate:0.###} msg/s with {PeakRate:0.###} msg/s for {DurationSeconds:0.#} s at {StartSeconds:0.#} s");
}
