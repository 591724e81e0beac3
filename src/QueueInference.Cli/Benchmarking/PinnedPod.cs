namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// The fallback where no cgroup is writable: the process is pinned to one core with taskset.
/// Memory is not limited, so "limit hit" cannot be observed; the results file says so.
/// </summary>
public sealed class PinnedPod : IPodSandbox
{
    public string Description => "NO cgroup available: CPU pinned to core 1 with taskset; memory NOT limited (peak RSS only)";

    public string EnterCommand => "taskset -cp 1 $$ > /dev/null && ";

    public PodUsage ReadUsage() => new(null, null, null, null);

    public double? CpuSeconds() => null;

    public void Dispose()
    {
    }
}
