namespace QueueInference.Cli.Planning.Simulation;

/// <summary>What one pod can do.</summary>
/// <param name="CpuMessagesPerSecond">Messages per second the pod's CPU finishes when it is the bottleneck (1 CPU per pod).</param>
/// <param name="Concurrency">Messages processed at once (worker: Consumer:MaxInFlight; Functions: one invocation).</param>
/// <param name="Prefetch">Unacknowledged messages the broker may push to the pod (worker: equal to the in-flight limit).</param>
/// <param name="IoLatencySeconds">The asynchronous I/O step's duration per message.</param>
/// <param name="StartupSeconds">From pod creation until it consumes (scheduling, image, runtime and model load).</param>
/// <param name="ComputeWaitTargetSeconds">
/// The worker's Consumer:ComputeWaitTarget: its in-flight limit follows capacity, so a CPU-bound pod holds about
/// CPU rate × (I/O + this wait) messages rather than its configured limit, and the rest of the backlog stays in the
/// broker for new pods. 0 (the Functions host, or a fixed limit) holds up to the prefetch.
/// </param>
public sealed record PodCapacity(double CpuMessagesPerSecond, int Concurrency, int Prefetch, double IoLatencySeconds, double StartupSeconds, double ComputeWaitTargetSeconds = 0)
{
    /// <summary>
    /// Messages one pod holds (started and waiting) at most: the prefetch, or with an adaptive limit what its CPU can
    /// start within the wait target after the I/O step (never below one, never above the configured limit).
    /// </summary>
    public double HoldLimit => ComputeWaitTargetSeconds <= 0 || double.IsInfinity(CpuMessagesPerSecond)
        ? Prefetch
        : Math.Min(Prefetch, Math.Max(1, Math.Ceiling(CpuMessagesPerSecond * (IoLatencySeconds + ComputeWaitTargetSeconds))));

    /// <summary>Steady throughput: the CPU limit or Little's law (concurrency / I/O time), whichever is lower.</summary>
    public double ThroughputPerPod => IoLatencySeconds <= 0
        ? CpuMessagesPerSecond
        : Math.Min(CpuMessagesPerSecond, Concurrency / IoLatencySeconds);
}
