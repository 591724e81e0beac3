namespace QueueInference.Cli.Planning.Profiles;

/// <summary>
/// Rates from a CSV (<c>time_seconds,rate</c>): each rate holds from its time until the next row's;
/// zero before the first row, the last rate after the last row.
/// </summary>
public sealed class PiecewiseProfile : ILoadProfile
{
    private readonly double[] _times;
    private readonly double[] _rates;

    public PiecewiseProfile(IReadOnlyList<(double TimeSeconds, double Rate)> points, string source)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            throw new FormatException($"{source}: no rate rows");
        }

        var ordered = points.OrderBy(p => p.TimeSeconds).ToArray();
        _times = [.. ordered.Select(p => p.TimeSeconds)];
        _rates = [.. ordered.Select(p => p.Rate)];
        Description = FormattableString.Invariant($"csv {source} ({_times.Length} rows, peak {_rates.Max():0.###} msg/s)");
    }

    public string Description { get; }

    public double RateAt(double timeSeconds)
    {
        int index = Array.BinarySearch(_times, timeSeconds);
        if (index < 0)
        {
            index = ~index - 1;
        }

        return index < 0 ? 0.0 : _rates[index];
    }
}
