namespace QueueInference.Cli.Benchmarking;

/// <summary>Picks the best sandbox this machine allows: cgroup v2, cgroup v1, then CPU pinning.</summary>
public static class PodSandboxes
{
    /// <param name="name">The cgroup's name, under this process's own.</param>
    /// <param name="cpuShares">The pod's CPU priority against the rest of the machine, in cgroup v1 cpu.shares (<see cref="PodLimits.DefaultCpuShares"/> or up to <see cref="PodLimits.MaxCpuShares"/>).</param>
    public static IPodSandbox Create(string name, int cpuShares) =>
        (IPodSandbox?)CgroupV2Pod.TryCreate(name, cpuShares) ?? (IPodSandbox?)CgroupV1Pod.TryCreate(name, cpuShares) ?? new PinnedPod();
}
