using QueueInference.Cli.Planning.Autoscaling;
using QueueInference.Cli.Planning.Profiles;
using QueueInference.Cli.Planning.Simulation;

namespace QueueInference.Cli.Tests.Planning;

/// <summary>Builds small scenarios for the simulator tests.</summary>
internal static class SimulationScenarios
{
    public static readonly KedaSettings ReadyMetric = new(100, 0, 30, 300, 0, 100, QueueMetricSource.ReadyOnly, false);

    public static ScaleScenario OnePodDrain(PodCapacity capacity, double backlog) => new(
        new StepProfile(0, 0, 0, null),
        capacity,
        ReadyMetric,
        HpaSettings.KubernetesDefault,
        SimulationOptions.Default with { DurationSeconds = 7200, InitialBacklog = backlog, InitialRunningPods = 1, Autoscale = false, StopWhenDrained = true });

    public static ScaleScenario Autoscaled(ILoadProfile profile, PodCapacity capacity, KedaSettings keda, double durationSeconds) => new(
        profile,
        capacity,
        keda,
        HpaSettings.KubernetesDefault,
        SimulationOptions.Default with { DurationSeconds = durationSeconds });
}
