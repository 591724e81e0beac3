namespace QueueInference.Cli.Planning.Profiles;

/// <summary>
/// <c>before</c> msg/s until <paramref name="StartSeconds"/>, then <c>after</c> msg/s until
/// <paramref name="EndSeconds"/> (if given), then back to <c>before</c>.
/// </summary>
public sealed record StepProfile(double RateBefore, double RateAfter, double StartSeconds, double? EndSeconds) : ILoadProfile
{
    public double RateAt(double timeSeconds) =>
        timeSeconds >= StartSeconds && (EndSeconds is null || timeSeconds < EndSeconds) ? RateAfter : RateBefore;

    public string Description => EndSeconds is { } end
        ? FormattableString.Invariant($"step {RateBefore:0.###} -> {RateAfter:0.###} msg/s from {StartSeconds:0.#} s to {end:0.#} s")
        : FormattableString.Invariant($"step {RateBefore:0.###} -> {RateAfter:0.###} msg/s at {StartSeconds:0.#} s");
}
