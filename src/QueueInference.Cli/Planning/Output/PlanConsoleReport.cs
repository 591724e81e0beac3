using System.Globalization;
using QueueInference.Cli.Planning.Autoscaling;
using QueueInference.Cli.Planning.Recommendation;
using QueueInference.Cli.Planning.Simulation;

namespace QueueInference.Cli.Planning.Output;

/// <summary>The human-readable part of <c>qi plan</c>'s output; every figure carries its unit.</summary>
public static class PlanConsoleReport
{
    private static readonly string[] PlanFiles = ["plan.png", "plan.json", "timeline.csv"];

    public static void WriteScenario(TextWriter console, string label, ScaleScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(scenario);
        PodCapacity c = scenario.Capacity;
        KedaSettings k = scenario.Keda;
        HpaBehavior? b = scenario.Hpa.Behavior;
        console.WriteLine(Invariant($"mode {label} | load {scenario.Profile.Description} | simulated {PlanningUnits.FormatSeconds(scenario.Options.DurationSeconds)} in {scenario.Options.TimeStepSeconds:0.###} s steps"));
        console.WriteLine(Invariant($"pod: CPU {c.CpuMessagesPerSecond:0.##} msg/s, concurrency {c.Concurrency}, prefetch {c.Prefetch}{(c.HoldLimit < c.Prefetch ? $" (holds at most {c.HoldLimit:0}: in flight follows capacity)" : string.Empty)}, I/O {c.IoLatencySeconds:0.##} s, start-up {c.StartupSeconds:0.#} s => {c.ThroughputPerPod:0.###} msg/s per pod"));
        console.WriteLine(Invariant($"KEDA: value {k.TargetValue:0.##}, activationValue {k.ActivationValue:0.##}, pollingInterval {k.PollingIntervalSeconds:0.#} s, cooldownPeriod {k.CooldownPeriodSeconds:0} s, replicas {k.MinReplicaCount}..{k.MaxReplicaCount}, metric {(k.Metric == QueueMetricSource.ReadyOnly ? "ready only" : "ready + unacked")}{(k.UseCachedMetrics ? ", cached" : string.Empty)}"));
        QueueTopology q = scenario.Queues;
        if (q.Queues > 1 || q.MaxDeliveriesPerSecondPerQueue is not null)
        {
            console.WriteLine(Invariant($"queues: {q.Queues} x {(q.MaxDeliveriesPerSecondPerQueue is { } limit ? $"{limit:0} msg/s" : "unlimited")}, combined by {(q.Combination == TriggerCombination.Sum ? "sum (one summed metric)" : "max of one trigger per queue")}"));
        }

        console.WriteLine(Invariant($"HPA: tolerance {scenario.Hpa.Tolerance:0.###}, sync {scenario.Hpa.SyncPeriodSeconds:0.#} s, {(b is null ? Invariant($"no behavior: up to max(2 x current, 4) per sync, down after a {scenario.Hpa.DownscaleStabilizationSeconds:0} s window") : $"up {Describe(b.ScaleUp)}, down {Describe(b.ScaleDown)}")}"));
    }

    public static void WriteSummary(TextWriter console, string heading, SimulationSummary s)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(s);
        console.WriteLine(heading);
        console.WriteLine(Invariant($"  messages        published {s.MessagesPublished:N0}, acked {s.MessagesAcked:N0}, left {s.MessagesLeft:N0}"));
        console.WriteLine(Invariant($"  peak backlog    {s.PeakBacklog:N0} msg (ready + unacked); ready alone {s.PeakReady:N0} msg"));
        console.WriteLine(Invariant($"  latency         worst {s.WorstLatencySeconds:0.#} s, p99 {s.P99LatencySeconds:0.#} s, p50 {s.P50LatencySeconds:0.#} s (publish to ack)"));
        console.WriteLine(s.TimeToDrainSeconds is { } drain
            ? Invariant($"  time to drain   {drain:0.#} s after the last publish")
            : "  time to drain   not drained within the simulated time");
        console.WriteLine(Invariant($"  pods            peak {s.PeakPods}, {s.PodSeconds:N0} pod-s used vs {s.MinimumPodSeconds:N0} pod-s minimum (x{s.PodSecondsOverMinimum:0.##})"));
    }

    public static void WriteRecommendation(TextWriter console, ScaleRecommendation r, ScaleScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(scenario);
        int meeting = r.Evaluated.Count(c => c.MeetsTarget);
        string margin = r.CapacityMargin > 0 ? Invariant($", also with pods {r.CapacityMargin:P0} slower") : string.Empty;
        console.WriteLine(Invariant($"recommendation (target worst latency {r.TargetWorstLatencySeconds:0.#} s{margin}; {meeting} of {r.Evaluated.Count} candidates meet it{(r.TargetMet ? string.Empty : "; NONE DOES, showing the lowest worst latency")})"));
        console.WriteLine(Invariant($"  value            {r.Best.Value:0.##}"));
        console.WriteLine(Invariant($"  pollingInterval  {r.Best.PollingIntervalSeconds:0.#} s"));
        console.WriteLine(Invariant($"  activationValue  {scenario.Keda.ActivationValue:0.##} (as given)"));
        console.WriteLine(Invariant($"  cooldownPeriod   {scenario.Keda.CooldownPeriodSeconds:0} s (as given)"));
        console.WriteLine(Invariant($"  maxReplicaCount  {r.MaxReplicaCount} (peak {r.Best.Summary.PeakPods} pods + 20 %)"));
        console.WriteLine(Invariant($"  in-flight limit  {r.Best.MaxInFlight}"));
        if (r.Best.WorstLatencyWithSlowerPodsSeconds is { } slower)
        {
            console.WriteLine(Invariant($"  worst latency with pods {r.CapacityMargin:P0} slower: {slower:0.#} s"));
        }
    }

    public static void WriteOutputs(TextWriter console, string directory, bool withCandidates)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.WriteLine("outputs");
        foreach (string file in PlanFiles.Concat(withCandidates ? ["candidates.csv"] : []))
        {
            console.WriteLine($"  {Path.Combine(directory, file)}");
        }
    }

    private static string Describe(ScalingRules rules) =>
        Invariant($"[{string.Join(", ", rules.Policies.Select(p => $"{p.Value}{(p.Type == ScalingPolicyType.Percent ? "%" : " pods")}/{p.PeriodSeconds} s"))}] select {rules.Select.ToString().ToLowerInvariant()}, stabilisation {rules.StabilizationWindowSeconds} s");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
