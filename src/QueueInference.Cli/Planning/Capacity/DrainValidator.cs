using QueueInference.Cli.Planning.Autoscaling;
using QueueInference.Cli.Planning.Profiles;
using QueueInference.Cli.Planning.Simulation;

namespace QueueInference.Cli.Planning.Capacity;

/// <summary>
/// The reality check: one running pod, no autoscaling, a ready backlog and nothing else published;
/// the simulated time to ack the last message is compared with the benchmark's measured drain.
/// </summary>
public static class DrainValidator
{
    /// <param name="cpuMessagesPerSecond">The pod's CPU-bound rate, taken from the capacity scenario.</param>
    public static DrainComparison Compare(BenchmarkScenario measured, double cpuMessagesPerSecond, double timeStepSeconds)
    {
        ArgumentNullException.ThrowIfNull(measured);
        var capacity = new PodCapacity(cpuMessagesPerSecond, measured.MaxInFlight, measured.MaxInFlight, measured.IoDelaySeconds, 0);
        double limit = (measured.Backlog / Math.Max(capacity.ThroughputPerPod, 1e-9)) + measured.IoDelaySeconds + (4 * Math.Max(measured.DrainSeconds, 60));
        var options = SimulationOptions.Default with
        {
            DurationSeconds = limit,
            TimeStepSeconds = timeStepSeconds,
            SampleIntervalSeconds = Math.Max(1.0, timeStepSeconds),
            InitialBacklog = measured.Backlog,
            InitialRunningPods = 1,
            Autoscale = false,
            StopWhenDrained = true,
        };
        var keda = new KedaSettings(1, 0, 30, 300, 1, 1, QueueMetricSource.ReadyOnly, false);
        var scenario = new ScaleScenario(new StepProfile(0, 0, 0, null), capacity, keda, HpaSettings.KubernetesDefault, options);
        SimulationSummary summary = QueueSimulator.Run(scenario).Summary;
        return new DrainComparison(measured.Name, measured.Backlog, measured.DrainSeconds, summary.TimeToDrainSeconds ?? double.PositiveInfinity);
    }
}
