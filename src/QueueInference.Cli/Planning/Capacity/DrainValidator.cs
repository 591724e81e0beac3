using QueueInference.Cli.Planning.Autoscaling;
using QueueInference.Cli.Planning.Profiles;
using QueueInference.Cli.Planning.Simulation;

namespace QueueInference.Cli.Planning.Capacity;

/// <summary>
/// The issue's reality check: one running pod, no autoscaling, a ready backlog and nothing else published;
/// the simulated time to ack the last message is compared with the benchmark's measured drain.
/// </summary>
public static class DrainValidator
{
    /// <summary>Why a scenario cannot be compared as a one-pod drain, or null when it can.</summary>
    public static string? SkipReason(BenchmarkScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.Disturbed)
        {
            return "the broker was disturbed mid-drain (a blip scenario)";
        }

        if (scenario.Values is { } values && values != "5")
        {
            return $"requests of {values} values, not the seed's 5";
        }

        IReadOnlyList<string> missing = scenario.MissingFields();
        if (missing.Count > 0)
        {
            return $"no {string.Join(", ", missing)}";
        }

        // The issue's check is for the worker host; the echo ceiling is another program.
        if (scenario.Process is { } process && !string.Equals(process, "worker", StringComparison.OrdinalIgnoreCase))
        {
            return $"not the worker host (process: {process})";
        }

        if (scenario.OfferedRatePerSecond is not null)
        {
            return "steady open-loop load, not a backlog drain";
        }

        return scenario.Backlog < 2 ? "a backlog of one message is a cold start, not a drain" : null;
    }

    /// <param name="cpuMessagesPerSecond">The pod's service rate when it is the bottleneck.</param>
    public static DrainComparison Compare(BenchmarkScenario measured, double cpuMessagesPerSecond, double timeStepSeconds)
    {
        ArgumentNullException.ThrowIfNull(measured);
        if (SkipReason(measured) is { } reason)
        {
            throw new ArgumentException($"scenario \"{measured.Name}\" is not a one-pod drain: {reason}", nameof(measured));
        }

        long backlog = measured.Backlog!.Value;
        int inFlight = measured.MaxInFlight!.Value;
        double io = measured.IoDelaySeconds!.Value;
        double drain = measured.DrainSeconds!.Value;
        var capacity = new PodCapacity(cpuMessagesPerSecond, inFlight, inFlight, io, 0);
        double limit = (backlog / Math.Max(capacity.ThroughputPerPod, 1e-9)) + io + (4 * Math.Max(drain, 60));
        var options = SimulationOptions.Default with
        {
            DurationSeconds = limit,
            TimeStepSeconds = timeStepSeconds,
            SampleIntervalSeconds = Math.Max(1.0, timeStepSeconds),
            InitialBacklog = backlog,
            InitialRunningPods = 1,
            Autoscale = false,
            StopWhenDrained = true,
        };
        var keda = new KedaSettings(1, 0, 30, 300, 1, 1, QueueMetricSource.ReadyOnly, false);
        var scenario = new ScaleScenario(new StepProfile(0, 0, 0, null), capacity, keda, HpaSettings.KubernetesDefault, options);
        SimulationSummary summary = QueueSimulator.Run(scenario).Summary;
        return new DrainComparison(measured.Name, backlog, drain, summary.TimeToDrainSeconds ?? double.PositiveInfinity);
    }
}
