namespace QueueInference.Cli.Planning.Profiles;

/// <summary>A daily-cycle stand-in: <c>mean + amplitude * sin(2 pi t / period)</c>, never below zero.</summary>
public sealed record SineProfile(double MeanRate, double Amplitude, double PeriodSeconds) : ILoadProfile
{
    public double RateAt(double timeSeconds) =>
        Math.Max(0.0, MeanRate + (Amplitude * Math.Sin(2.0 * Math.PI * timeSeconds / PeriodSeconds)));

    public string Description =>
        FormattableString.Invariant($"sine mean {MeanRate:0.###} msg/s, amplitude {Amplitude:0.###} msg/s, period {PeriodSeconds:0.#} s");
}
