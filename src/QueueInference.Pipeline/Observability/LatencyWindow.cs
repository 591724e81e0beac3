namespace QueueInference.Pipeline.Observability;

/// <summary>
/// The latest end-to-end latencies, for the percentiles of the periodic summary line. A fixed
/// ring written without locks: under contention a sample may be overwritten, which a log line's
/// p50/p99 can afford and the hot path cannot (Prometheus gets exact histograms).
/// </summary>
public sealed class LatencyWindow(int capacity = 8192)
{
    private readonly double[] _samples = new double[capacity];
    private long _written;

    public void Record(double seconds)
    {
        long index = Interlocked.Increment(ref _written) - 1;
        _samples[index % _samples.Length] = seconds;
    }

    /// <summary>p50 and p99 of the samples since the last call, in seconds; NaN when there were none.</summary>
    public (double P50, double P99, long Count) TakePercentiles()
    {
        long count = Interlocked.Exchange(ref _written, 0);
        int available = (int)Math.Min(count, _samples.Length);
        if (available == 0)
        {
            return (double.NaN, double.NaN, 0);
        }

        double[] copy = _samples.AsSpan(0, available).ToArray();
        Array.Sort(copy);
        return (copy[(int)((available - 1) * 0.50)], copy[(int)((available - 1) * 0.99)], count);
    }
}
