using QueueInference.Cli.Planning.Simulation;

namespace QueueInference.Cli.Planning.Recommendation;

/// <summary>One point of the search and how it did.</summary>
public sealed record RecommendationCandidate(double Value, double PollingIntervalSeconds, int MaxInFlight, SimulationSummary Summary, bool MeetsTarget);
