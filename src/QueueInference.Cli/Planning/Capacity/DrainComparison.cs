namespace QueueInference.Cli.Planning.Capacity;

/// <summary>Simulated against measured time for one pod to drain a backlog.</summary>
public sealed record DrainComparison(string Scenario, long Backlog, double MeasuredSeconds, double SimulatedSeconds)
{
    /// <summary>Simulated / measured; 1 is a perfect match.</summary>
    public double Ratio => MeasuredSeconds > 0 ? SimulatedSeconds / MeasuredSeconds : double.PositiveInfinity;

    public bool IsWithin(double relativeTolerance) => Math.Abs(Ratio - 1.0) <= relativeTolerance;
}
