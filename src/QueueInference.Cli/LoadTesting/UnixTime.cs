namespace QueueInference.Cli.LoadTesting;

/// <summary>Unix seconds as a double, the seed's timestamp format (Python's <c>time.time()</c>).</summary>
public static class UnixTime
{
    public static double Now() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;
}
