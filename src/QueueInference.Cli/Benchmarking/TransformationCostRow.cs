namespace QueueInference.Cli.Benchmarking;

/// <summary>The seed's full-cost transformation timed alone on one core (<see cref="TransformationCost"/>).</summary>
/// <param name="BestSecondsPerMessage">The fastest round's wall time per message.</param>
/// <param name="MedianSecondsPerMessage">The median round's wall time per message.</param>
/// <param name="CpuSecondsPerMessage">The timing thread's CPU time per message across every round: what the transformation costs while it has a core, the figure a ceiling uses.</param>
/// <param name="CpuShare">The timing thread's CPU time over wall time across the rounds: below 1, the timing thread waited for a core.</param>
public sealed record TransformationCostRow(double BestSecondsPerMessage, double MedianSecondsPerMessage, double CpuSecondsPerMessage, double CpuShare);
