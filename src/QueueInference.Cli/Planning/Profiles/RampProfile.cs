namespace QueueInference.Cli.Planning.Profiles;

/// <summary>Linear ramp from <paramref name="RateFrom"/> to <paramref name="RateTo"/> between two times; flat outside.</summary>
public sealed record RampProfile(double RateFrom, double RateTo, double StartSeconds, double EndSeconds) : ILoadProfile
{
    public double RateAt(double timeSeconds)
    {
        if (timeSeconds <= StartSeconds)
        {
            return RateFrom;
        }

        if (timeSeconds >= EndSeconds)
        {
            return RateTo;
        }

        double fraction = (timeSeconds - StartSeconds) / (EndSeconds - StartSeconds);
        return RateFrom + ((RateTo - RateFrom) * fraction);
    }

    public string Description =>
        FormattableString.Invariant($"ramp {RateFrom:0.###} -> {RateTo:0.###} msg/s over {StartSeconds:0.#}-{EndSeconds:0.#} s");
}
