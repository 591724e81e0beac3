using System.Globalization;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// A child of this process's own cpu and memory cgroups (v1), so the machine's cgroup tree above
/// is left alone: cfs quota = period (1 CPU), the given cpu.shares, memory.limit_in_bytes = 512 MiB. Its CPU time comes
/// from cpuacct.usage: in the cpu directory where cpuacct is mounted with cpu, else in a child of
/// this process's own cpuacct cgroup, when that can be made.
/// </summary>
public sealed class CgroupV1Pod : IPodSandbox
{
    private readonly string _cpu;
    private readonly string _memory;

    /// <summary>A cpuacct child of its own (cpuacct mounted apart from cpu); null when cpuacct is read in <see cref="_cpu"/> or not at all.</summary>
    private readonly string? _cpuacct;

    private readonly int _cpuShares;

    private CgroupV1Pod(string cpu, string memory, string? cpuacct, int cpuShares)
    {
        _cpu = cpu;
        _cpuShares = cpuShares;
        _memory = memory;
        _cpuacct = cpuacct;
    }

    public string Description => $"cgroup v1: cpu.cfs_quota_us={PodLimits.CpuQuotaMicroseconds}/cfs_period_us={PodLimits.CpuPeriodMicroseconds} (1 CPU), cpu.shares={_cpuShares}, memory.limit_in_bytes={PodLimits.MemoryBytes} (512 MiB)";

    public string EnterCommand => $"echo $$ > {_cpu}/cgroup.procs && echo $$ > {_memory}/cgroup.procs && " + (_cpuacct is null ? string.Empty : $"echo $$ > {_cpuacct}/cgroup.procs && ");

    public static CgroupV1Pod? TryCreate(string name, int cpuShares)
    {
        string? cpuParent = OwnCgroup.V1Path("cpu");
        string? memoryParent = OwnCgroup.V1Path("memory");
        if (cpuParent is null || memoryParent is null)
        {
            return null;
        }

        string cpu = Path.Combine(cpuParent, name);
        string memory = Path.Combine(memoryParent, name);
        try
        {
            Directory.CreateDirectory(cpu);
            Directory.CreateDirectory(memory);
            File.WriteAllText(Path.Combine(cpu, "cpu.cfs_period_us"), PodLimits.CpuPeriodMicroseconds.ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(Path.Combine(cpu, "cpu.cfs_quota_us"), PodLimits.CpuQuotaMicroseconds.ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(Path.Combine(cpu, "cpu.shares"), cpuShares.ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(Path.Combine(memory, "memory.limit_in_bytes"), PodLimits.MemoryBytes.ToString(CultureInfo.InvariantCulture));
            return new CgroupV1Pod(cpu, memory, File.Exists(Path.Combine(cpu, "cpuacct.usage")) ? null : TryCreateCpuacct(name), cpuShares);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            TryRemove(cpu);
            TryRemove(memory);
            return null;
        }
    }

    public PodUsage ReadUsage()
    {
        long peak = CgroupFiles.ReadLong(Path.Combine(_memory, "memory.max_usage_in_bytes")) ?? 0;
        long failures = CgroupFiles.ReadLong(Path.Combine(_memory, "memory.failcnt")) ?? 0;
        long? oomKills = CgroupFiles.ReadKey(Path.Combine(_memory, "memory.oom_control"), "oom_kill");
        long? throttledNanoseconds = CgroupFiles.ReadKey(Path.Combine(_cpu, "cpu.stat"), "throttled_time");
        return new PodUsage(PodLimits.ToMiB(peak), failures > 0, oomKills is null ? null : oomKills > 0, throttledNanoseconds / 1e9);
    }

    public double? CpuSeconds() => CgroupFiles.ReadLong(Path.Combine(_cpuacct ?? _cpu, "cpuacct.usage")) / 1e9;

    public void Dispose()
    {
        TryRemove(_cpu);
        TryRemove(_memory);
        if (_cpuacct is not null)
        {
            TryRemove(_cpuacct);
        }
    }

    /// <summary>A child of this process's cpuacct cgroup, for the CPU time alone (no limit is set there); null when it cannot be made.</summary>
    private static string? TryCreateCpuacct(string name)
    {
        if (OwnCgroup.V1Path("cpuacct") is not { } parent)
        {
            return null;
        }

        string cpuacct = Path.Combine(parent, name);
        try
        {
            Directory.CreateDirectory(cpuacct);
            return File.Exists(Path.Combine(cpuacct, "cpuacct.usage")) ? cpuacct : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            TryRemove(cpuacct);
            return null;
        }
    }

    private static void TryRemove(string directory)
    {
        try
        {
            // A cgroup directory is removed with rmdir once its processes are gone; the kernel may need a moment.
            for (int attempt = 0; attempt < 20 && Directory.Exists(directory); attempt++)
            {
                try
                {
                    Directory.Delete(directory);
                }
                catch (IOException)
                {
                    Thread.Sleep(100);
                }
            }
        }
        catch (UnauthorizedAccessException)
        {
            // Left behind: harmless, empty, and named after the run.
        }
    }
}
