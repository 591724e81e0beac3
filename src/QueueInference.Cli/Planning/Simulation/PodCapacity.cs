namespace QueueInference.Cli.Planning.Simulation;

/// <summary>What one pod can do.</summary>
/// <param name="CpuMessagesPerSecond">Messages per second the pod's CPU finishes when it is the bottleneck (1 CPU per pod).</param>
/// <param name="Concurrency">Messages processed at once (worker: Consumer:MaxInFlight; Functions: one invocation).</param>
/// <param name="Prefetch">Unacknowledged messages the broker may push to the pod (worker: equal to the in-flight limit).</param>
/// <param name="IoLatencySeconds">The asynchronous I/O step's duration per message.</param>
/// <param name="StartupSeconds">From pod creation until it consumes (scheduling, image, runtime and model load).</param>
public sealed record PodCapacity(double CpuMessagesPerSecond, int Concurrency, int Prefetch, double IoLatencySeconds, double StartupSeconds)
{
    /// <summary>Steady throughput: the CPU limit or Little's law (concurrency / I/O time), whichever is lower.</summary>
    public double ThroughputPerPod => IoLatencySeconds <= 0
        ? CpuMessagesPerSecond
        : Math.Min(CpuMessagesPerSecond, Concurrency / IoLatencySeconds);
}
