namespace QueueInference.Cli.Benchmarking;

/// <summary>The pod size the issue fixes: 1 CPU and 512 MiB.</summary>
public static class PodLimits
{
    public const long MemoryBytes = 512L * 1024 * 1024;
    public const int CpuPeriodMicroseconds = 100_000;
    public const int CpuQuotaMicroseconds = 100_000;

    /// <summary>The kernel's default cpu.shares, which every thread of the broker and of this tool has: the pod's by default.</summary>
    public const int DefaultCpuShares = 1024;

    /// <summary>
    /// The most cpu.shares the kernel takes: a pod with these runs whenever it is runnable, as a pod with a 1 CPU request
    /// gets its CPU on its node while its broker has machines of its own; the broker and this tool use what it leaves.
    /// </summary>
    public const int MaxCpuShares = 262_144;

    /// <summary>The cgroup v2 cpu.weight for v1 <paramref name="shares"/>, converted as Kubernetes does (2..262144 onto 1..10000).</summary>
    public static int CpuWeight(int shares) => 1 + (int)((Math.Clamp(shares, 2L, 262_144L) - 2) * 9999 / 262_142);

    public static double ToMiB(long bytes) => bytes / (1024.0 * 1024.0);
}
