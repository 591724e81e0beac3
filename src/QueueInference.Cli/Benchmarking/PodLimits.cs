namespace QueueInference.Cli.Benchmarking;

/// <summary>The pod size the issue fixes: 1 CPU and 512 MiB.</summary>
public static class PodLimits
{
    public const long MemoryBytes = 512L * 1024 * 1024;
    public const int CpuPeriodMicroseconds = 100_000;
    public const int CpuQuotaMicroseconds = 100_000;

    public static double ToMiB(long bytes) => bytes / (1024.0 * 1024.0);
}
