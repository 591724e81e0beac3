using QueueInference.Cli.Planning.Autoscaling;
using QueueInference.Cli.Planning.Profiles;

namespace QueueInference.Cli.Planning.Simulation;

/// <summary>Everything one simulation needs; no <paramref name="Topology"/> means one queue with no broker limit.</summary>
public sealed record ScaleScenario(ILoadProfile Profile, PodCapacity Capacity, KedaSettings Keda, HpaSettings Hpa, SimulationOptions Options, QueueTopology? Topology = null)
{
    public QueueTopology Queues => Topology ?? QueueTopology.SingleUnlimited;
}
