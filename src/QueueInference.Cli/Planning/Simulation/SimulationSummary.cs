namespace QueueInference.Cli.Planning.Simulation;

/// <summary>The figures a run is judged by. Times in seconds; null where a figure does not exist for the run.</summary>
/// <param name="TimeToDrainSeconds">From the last publish until ready + unacknowledged fell below one message; null if it never did.</param>
/// <param name="MinimumPodSeconds">Acked messages / one pod's throughput: the pod-seconds a perfect, instant autoscaler would need.</param>
public sealed record SimulationSummary(
    double MessagesPublished,
    double MessagesAcked,
    double MessagesLeft,
    double PeakBacklog,
    double PeakReady,
    double WorstLatencySeconds,
    double P99LatencySeconds,
    double P50LatencySeconds,
    double? TimeToDrainSeconds,
    double LastPublishSeconds,
    int PeakPods,
    double PodSeconds,
    double MinimumPodSeconds,
    double SimulatedSeconds)
{
    /// <summary>How many times the minimum the run used (1 is perfect).</summary>
    public double PodSecondsOverMinimum => MinimumPodSeconds > 0 ? PodSeconds / MinimumPodSeconds : double.PositiveInfinity;

    public bool Drained => MessagesLeft < 1.0;
}
