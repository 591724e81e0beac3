using QueueInference.Cli.Planning.Autoscaling;
using QueueInference.Cli.Planning.Profiles;

namespace QueueInference.Cli.Planning.Simulation;

/// <summary>Everything one simulation needs.</summary>
public sealed record ScaleScenario(ILoadProfile Profile, PodCapacity Capacity, KedaSettings Keda, HpaSettings Hpa, SimulationOptions Options);
