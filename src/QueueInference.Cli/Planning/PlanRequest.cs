using QueueInference.Cli.Planning.Autoscaling;
using QueueInference.Cli.Planning.Simulation;

namespace QueueInference.Cli.Planning;

/// <summary>Everything <c>qi plan</c> was asked, after parsing; capacity fields are null when not given as flags.</summary>
public sealed record PlanRequest(
    PlanMode Mode,
    bool CompareModes,
    string Profile,
    double DurationSeconds,
    double TimeStepSeconds,
    string? CapacityFrom,
    string CapacityScenario,
    double? CpuCapacity,
    int? MaxInFlight,
    int? Prefetch,
    double? IoLatencySeconds,
    double? StartupSeconds,
    KedaSettings Keda,
    HpaSettings Hpa,
    QueueTopology Topology,
    double TerminationGraceSeconds,
    bool Recommend,
    double TargetWaitSeconds,
    double CapacityMargin,
    IReadOnlyList<double>? ValueCandidates,
    IReadOnlyList<double> PollingCandidates,
    IReadOnlyList<int>? MaxInFlightCandidates,
    string? ValidateAgainst,
    double ValidateTolerance,
    string OutDirectory,
    string RunId);
