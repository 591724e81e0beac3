using System.Reflection;
using System.Runtime.InteropServices;

namespace QueueInference.Cli.Benchmarking;

/// <summary>The machine and software a benchmark ran on, for the results file.</summary>
public sealed record MachineInfo(string Os, string Kernel, string CpuModel, int Cores, double MemoryGiB, string DotnetRuntime, string RabbitMqClient, string? RabbitMqServer)
{
    public static MachineInfo Collect(string? rabbitMqServer)
    {
        string cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";
        string kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "unknown";
        return new MachineInfo(
            RuntimeInformation.OSDescription,
            kernel,
            cpu,
            Environment.ProcessorCount,
            Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
            RuntimeInformation.FrameworkDescription,
            // The assembly version is pinned at 7.0.0.0 for binding; the informational one is the package's.
            typeof(RabbitMQ.Client.IConnection).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown",
            rabbitMqServer);
    }
}
