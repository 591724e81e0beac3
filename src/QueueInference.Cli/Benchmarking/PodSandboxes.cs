namespace QueueInference.Cli.Benchmarking;

/// <summary>Picks the best sandbox this machine allows: cgroup v2, cgroup v1, then CPU pinning.</summary>
public static class PodSandboxes
{
    public static IPodSandbox Create(string name) =>
        (IPodSandbox?)CgroupV2Pod.TryCreate(name) ?? (IPodSandbox?)CgroupV1Pod.TryCreate(name) ?? new PinnedPod();
}
