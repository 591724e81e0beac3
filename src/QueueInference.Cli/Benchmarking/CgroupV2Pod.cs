using System.Globalization;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// A child of this process's own cgroup (v2, unified): cpu.max "100000 100000" (1 CPU), the cpu.weight of the
/// given cpu.shares and memory.max 512 MiB; memory.peak (Linux 5.19+) and memory.events give the peak and limit hits.
/// </summary>
public sealed class CgroupV2Pod : IPodSandbox
{
    private readonly string _path;

    private readonly int _cpuWeight;

    private CgroupV2Pod(string path, int cpuWeight) => (_path, _cpuWeight) = (path, cpuWeight);

    public string Description => $"cgroup v2: cpu.max=\"{PodLimits.CpuQuotaMicroseconds} {PodLimits.CpuPeriodMicroseconds}\" (1 CPU), cpu.weight={_cpuWeight}, memory.max={PodLimits.MemoryBytes} (512 MiB)";

    public string EnterCommand => $"echo $$ > {_path}/cgroup.procs && ";

    public static CgroupV2Pod? TryCreate(string name, int cpuShares)
    {
        string? parent = OwnCgroup.V2Path();
        if (parent is null)
        {
            return null;
        }

        string path = Path.Combine(parent, name);
        try
        {
            // The parent must delegate cpu and memory to its children; fails if it holds processes itself
            // (the "no internal processes" rule), in which case pinning is the fallback.
            File.WriteAllText(Path.Combine(parent, "cgroup.subtree_control"), "+cpu +memory");
            Directory.CreateDirectory(path);
            File.WriteAllText(Path.Combine(path, "cpu.max"), $"{PodLimits.CpuQuotaMicroseconds} {PodLimits.CpuPeriodMicroseconds}");
            int cpuWeight = PodLimits.CpuWeight(cpuShares);
            File.WriteAllText(Path.Combine(path, "cpu.weight"), cpuWeight.ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(Path.Combine(path, "memory.max"), PodLimits.MemoryBytes.ToString(CultureInfo.InvariantCulture));
            return new CgroupV2Pod(path, cpuWeight);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path);
                }
            }
            catch (IOException)
            {
                // Best effort.
            }

            return null;
        }
    }

    public PodUsage ReadUsage()
    {
        long? peak = CgroupFiles.ReadLong(Path.Combine(_path, "memory.peak"));
        long? maxEvents = CgroupFiles.ReadKey(Path.Combine(_path, "memory.events"), "max");
        long? oomKills = CgroupFiles.ReadKey(Path.Combine(_path, "memory.events"), "oom_kill");
        long? throttledMicroseconds = CgroupFiles.ReadKey(Path.Combine(_path, "cpu.stat"), "throttled_usec");
        return new PodUsage(peak is null ? null : PodLimits.ToMiB(peak.Value), maxEvents is null ? null : maxEvents > 0, oomKills is null ? null : oomKills > 0, throttledMicroseconds / 1e6);
    }

    public double? CpuSeconds() => CgroupFiles.ReadKey(Path.Combine(_path, "cpu.stat"), "usage_usec") / 1e6;

    public void Dispose()
    {
        for (int attempt = 0; attempt < 20 && Directory.Exists(_path); attempt++)
        {
            try
            {
                Directory.Delete(_path);
            }
            catch (IOException)
            {
                Thread.Sleep(100);
            }
        }
    }
}
