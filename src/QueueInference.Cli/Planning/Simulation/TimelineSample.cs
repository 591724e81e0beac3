namespace QueueInference.Cli.Planning.Simulation;

/// <summary>One row of the timeline (one per sample interval).</summary>
/// <param name="DesiredPods">Replicas the Deployment asks for (KEDA/HPA output).</param>
/// <param name="ReadyPods">Pods consuming.</param>
/// <param name="MaxLatencySeconds">Worst publish-to-ack latency among messages acked in this interval; NaN when none.</param>
public readonly record struct TimelineSample(
    double TimeSeconds,
    double ArrivalRate,
    double AckRate,
    double Ready,
    double Unacknowledged,
    int DesiredPods,
    int ReadyPods,
    int StartingPods,
    int DrainingPods,
    double MaxLatencySeconds);
