namespace QueueInference.Cli.LoadTesting;

/// <summary>A short id that tags every output line and file of one run, so interleaved logs stay attributable.</summary>
public static class RunId
{
    public static string New() => Guid.NewGuid().ToString("N")[..8];
}
