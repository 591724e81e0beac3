namespace QueueInference.Cli.LoadTesting;

/// <summary>
/// When the n-th request is due: all at once for a fixed count, or at n / rate for an open-loop
/// run (open loop: sends follow the clock, never the replies, so a slow worker shows as latency).
/// </summary>
public sealed record PublishSchedule(long? Count, double? Rate, TimeSpan? Duration)
{
    public static PublishSchedule FromSettings(LoadSettings settings) => new(settings.Count, settings.Rate, settings.Duration);

    /// <summary>Seconds after the start at which request <paramref name="index"/> is due, or null when the run has no such request.</summary>
    public double? DueSeconds(long index)
    {
        if (Count is { } count)
        {
            return index < count ? 0 : null;
        }

        double due = index / Rate!.Value;
        return due < Duration!.Value.TotalSeconds ? due : null;
    }

    public long ExpectedCount => Count ?? (long)Math.Ceiling(Rate!.Value * Duration!.Value.TotalSeconds);
}
