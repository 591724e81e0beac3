namespace QueueInference.Cli.Planning.Simulation;

/// <summary>How the simulation runs (not what it models).</summary>
/// <param name="DurationSeconds">Simulated time; with <paramref name="StopWhenDrained"/> the longest it may run.</param>
/// <param name="TimeStepSeconds">Fixed step; results are deterministic for a given step.</param>
/// <param name="InitialBacklog">Messages already ready at t = 0 (published at t = 0).</param>
/// <param name="InitialRunningPods">Pods already consuming at t = 0.</param>
/// <param name="Autoscale">False pins the replica count (the one-pod drain check).</param>
/// <param name="TerminationGraceSeconds">Kubernetes' terminationGracePeriodSeconds (default 30 s): messages still held after it are requeued.</param>
public sealed record SimulationOptions(
    double DurationSeconds,
    double TimeStepSeconds,
    double SampleIntervalSeconds,
    double InitialBacklog,
    int InitialRunningPods,
    bool Autoscale,
    bool StopWhenDrained,
    double TerminationGraceSeconds)
{
    public static SimulationOptions Default { get; } = new(1800, 0.1, 1.0, 0, 0, true, false, 30);
}
