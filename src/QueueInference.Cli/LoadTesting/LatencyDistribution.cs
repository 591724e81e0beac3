namespace QueueInference.Cli.LoadTesting;

/// <summary>Summary of one latency series, in seconds. Percentiles use the nearest-rank method.</summary>
public sealed record LatencyDistribution(int Count, double Min, double P50, double P75, double P95, double P99, double Max, double Mean)
{
    public static readonly LatencyDistribution Empty = new(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    public static LatencyDistribution From(IEnumerable<double> values)
    {
        double[] sorted = [.. values];
        if (sorted.Length == 0)
        {
            return Empty;
        }

        Array.Sort(sorted);
        return new LatencyDistribution(
            sorted.Length,
            sorted[0],
            Percentile(sorted, 50),
            Percentile(sorted, 75),
            Percentile(sorted, 95),
            Percentile(sorted, 99),
            sorted[^1],
            sorted.Average());
    }

    /// <summary>Nearest rank: the smallest value with at least <paramref name="percent"/>% of values at or below it.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfZero(sorted.Count);
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        int rank = (int)Math.Ceiling(percent / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    /// <summary>The same distribution shifted by <paramref name="offset"/> seconds (e.g. minus the I/O delay).</summary>
    public LatencyDistribution Shift(double offset) => Count == 0
        ? this
        : new LatencyDistribution(Count, Min + offset, P50 + offset, P75 + offset, P95 + offset, P99 + offset, Max + offset, Mean + offset);
}
