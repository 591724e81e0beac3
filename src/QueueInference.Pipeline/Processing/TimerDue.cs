namespace QueueInference.Pipeline.Processing;

/// <summary>Due times on a <see cref="TimeProvider"/>'s timestamps, as the pipeline's shared timers keep them.</summary>
internal static class TimerDue
{
    /// <summary><paramref name="span"/> in timestamp ticks, rounded up.</summary>
    public static long ToTimestampTicks(this TimeProvider time, TimeSpan span) =>
        (long)Math.Ceiling(span.Ticks * (time.TimestampFrequency / (double)TimeSpan.TicksPerSecond));

    /// <summary>The wait until <paramref name="dueTimestamp"/> in whole milliseconds, at least one: a timer has no finer resolution, and one set short would fire early and spin.</summary>
    public static TimeSpan Until(this TimeProvider time, long dueTimestamp) =>
        TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(time.GetElapsedTime(time.GetTimestamp(), dueTimestamp).TotalMilliseconds)));
}
