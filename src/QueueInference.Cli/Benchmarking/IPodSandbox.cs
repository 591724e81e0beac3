namespace QueueInference.Cli.Benchmarking;

/// <summary>A 1 CPU / 512 MiB "pod" for one process: a cgroup, or CPU pinning where no cgroup is writable.</summary>
public interface IPodSandbox : IDisposable
{
    /// <summary>cgroup-v1, cgroup-v2 or cpu-pinning, with the limits applied, for the results file.</summary>
    string Description { get; }

    /// <summary>A shell prefix that moves the shell into the sandbox before it execs the command (no moment outside it).</summary>
    string EnterCommand { get; }

    PodUsage ReadUsage();

    /// <summary>
    /// CPU seconds the pod's processes have used so far, from the cgroup's own counter (microseconds or
    /// nanoseconds, where /proc/&lt;pid&gt;/stat counts 10 ms ticks); null where the sandbox has none.
    /// </summary>
    double? CpuSeconds();
}
