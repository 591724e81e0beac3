namespace QueueInference.Cli.Planning.Simulation;

/// <summary>
/// Weighted latency distribution with 1 % wide logarithmic buckets, so that p99 costs a few kilobytes
/// whatever the number of messages.
/// </summary>
public sealed class LatencyHistogram
{
    private const double SmallestSeconds = 0.01;
    private static readonly double LogGrowth = Math.Log(1.01);
    private readonly double[] _weights = new double[2400];

    public double TotalWeight { get; private set; }

    public double MaxSeconds { get; private set; }

    /// <param name="minimumCountedAmount">Slivers smaller than this (fluid rounding) do not move the maximum.</param>
    public void Add(double latencySeconds, double amount, double minimumCountedAmount = 1e-3)
    {
        if (amount <= 0)
        {
            return;
        }

        int bucket = latencySeconds <= SmallestSeconds ? 0 : (int)(Math.Log(latencySeconds / SmallestSeconds) / LogGrowth) + 1;
        _weights[Math.Min(bucket, _weights.Length - 1)] += amount;
        TotalWeight += amount;
        if (amount >= minimumCountedAmount && latencySeconds > MaxSeconds)
        {
            MaxSeconds = latencySeconds;
        }
    }

    /// <summary>The latency below which <paramref name="quantile"/> of the weight lies (bucket upper edge).</summary>
    public double Quantile(double quantile)
    {
        if (TotalWeight <= 0)
        {
            return 0;
        }

        double wanted = quantile * TotalWeight;
        double running = 0;
        for (int i = 0; i < _weights.Length; i++)
        {
            running += _weights[i];
            if (running >= wanted)
            {
                double upperEdge = SmallestSeconds * Math.Exp(i * LogGrowth);
                return Math.Min(upperEdge, MaxSeconds > 0 ? MaxSeconds : upperEdge);
            }
        }

        return MaxSeconds;
    }
}
