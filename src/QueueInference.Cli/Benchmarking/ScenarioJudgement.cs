using System.Globalization;
using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// Every row's ratio (to the echo ceiling, the CPU limit, a cold-start goal or the seed row), its goal and
/// whether it was met, as the issues ask. A row whose process exited, was OOM-killed or timed out never
/// meets a production goal, whatever its throughput.
/// </summary>
public static class ScenarioJudgement
{
    /// <summary>Issue 13: seed-size throughput in the mixed scenario within 10 % of the seed row.</summary>
    public const double MixedSeedSizeGoal = 0.90;

    /// <summary>Issue 13: duplicates at most 1 % of what was in flight at a blip.</summary>
    public const double BlipDuplicateShareGoal = 0.01;

    public static ScenarioResult Judge(ScenarioResult result, ScenarioResult? echo, ScenarioResult? seed, double cpuLimit, ScenarioResult? echoSteady)
    {
        double? ceiling = echo?.ThroughputPerSecond;
        double? ToCeiling(double? value) => value is { } v && ceiling is { } c && c > 0 ? v / c : null;
        switch (result.Name)
        {
            case "echo":
                return result with { Ratio = 1.0, RatioTo = "echo ceiling" };
            case "seed":
                double? seedRatio = ToCeiling(result.ThroughputPerSecond);
                return result with { Ratio = seedRatio, RatioTo = "echo ceiling", Target = ">= 0.85 of the echo ceiling", TargetMet = BenchTargets.Met(seedRatio, v => v >= 0.85) };
            case "cpu-bound":
                double? cpuRatio = result.ThroughputPerSecond / cpuLimit;
                return result with { Ratio = cpuRatio, RatioTo = $"CPU limit ({cpuLimit:F0} msg/s)", Target = ">= 0.90 of the CPU limit", TargetMet = BenchTargets.Met(cpuRatio, v => v >= 0.90) };
            case "steady":
                return result with
                {
                    Ratio = ToCeiling(result.ThroughputPerSecond),
                    RatioTo = "echo ceiling",
                    Target = "overhead p99 <= 25 ms",
                    TargetMet = BenchTargets.Met(result.Overhead?.P99, v => v <= 0.025),
                    Note = echoSteady?.Overhead is { } environment
                        ? string.Create(CultureInfo.InvariantCulture, $"the echo under the same load: overhead p99 {environment.P99 * 1000:F1} ms")
                        : null,
                };
            case "cold-start":
                return result with { Ratio = result.ColdStartSeconds / 0.5, RatioTo = "cold-start goal (0.5 s)", Target = "<= 500 ms to first reply", TargetMet = BenchTargets.Met(result.ColdStartSeconds, v => v <= 0.5) };
            case "seed-quorum":
                double? toClassic = Divide(result.ThroughputPerSecond, seed?.ThroughputPerSecond);
                return result with
                {
                    Ratio = ToCeiling(result.ThroughputPerSecond),
                    RatioTo = "echo ceiling",
                    Target = "drains on a quorum request queue (every request replied, no exit)",
                    TargetMet = Drained(result),
                    Note = Join(Outcome(result), toClassic is { } q ? string.Create(CultureInfo.InvariantCulture, $"{q:F3} of the classic seed row's throughput") : null),
                };
            case "seed-max-length":
                double? toSeed = Divide(result.ThroughputPerSecond, seed?.ThroughputPerSecond);
                return result with
                {
                    Ratio = ToCeiling(result.ThroughputPerSecond),
                    RatioTo = "echo ceiling",
                    Target = "consumed as it is: drains a request queue declared with x-max-length (every request replied, no exit)",
                    TargetMet = Drained(result),
                    Note = Join(Outcome(result), toSeed is { } m ? string.Create(CultureInfo.InvariantCulture, $"{m:F3} of the seed row's throughput") : null),
                };
            case "large":
                return result with
                {
                    Ratio = ToCeiling(result.ThroughputPerSecond),
                    RatioTo = "echo ceiling",
                    Target = "drains; no OOM kill, no exit; 0 lost, 0 duplicates",
                    TargetMet = Drained(result) && result.Duplicates == 0,
                    Note = Outcome(result),
                };
            case "mixed":
                double? seedSize = SeedSize(result)?.ThroughputPerSecond;
                double? mixedRatio = Divide(seedSize, seed?.ThroughputPerSecond);
                return result with
                {
                    Ratio = mixedRatio,
                    RatioTo = "seed row (seed-size requests' throughput)",
                    Target = string.Create(CultureInfo.InvariantCulture, $"drains; seed-size throughput >= {MixedSeedSizeGoal:0.00} of the seed row"),
                    // A row that did not drain fails; one that drained without a seed row to compare with is not judged.
                    TargetMet = Drained(result) ? BenchTargets.Met(mixedRatio, v => v >= MixedSeedSizeGoal) : false,
                    Note = Join(
                        Outcome(result),
                        seedSize is { } rate ? string.Create(CultureInfo.InvariantCulture, $"seed-size throughput {rate:F1} msg/s") : null,
                        seed is null ? "no seed row in this run to compare with (add -s seed)" : null),
                };
            case "blip-close" or "blip-stop":
                double? share = DuplicateShare(result);
                return result with
                {
                    Target = string.Create(CultureInfo.InvariantCulture, $"0 lost; duplicates <= {BlipDuplicateShareGoal:P0} of in flight at the blip; no exit"),
                    // Without the blip, or with fewer in flight at it than the trigger, the row did not measure what it is for.
                    TargetMet = result.Blip is { Happened: true, Error: null } blip && blip.InFlightAtBlip >= blip.Threshold
                        ? Accounted(result) && share <= BlipDuplicateShareGoal
                        : null,
                    Note = Join(Outcome(result), BlipSummary(result, share)),
                };
            case "cluster-kill":
                return result with
                {
                    Target = "0 lost; duplicates <= in flight at the kill; the worker recovers by itself (no exit)",
                    TargetMet = ClusterKillMet(result),
                    Note = Join(result.Sent == 0 ? null : Outcome(result), KillSummary(result), QueueAfterRun(result)),
                };
            default:
                return result with
                {
                    Ratio = ToCeiling(result.ThroughputPerSecond),
                    RatioTo = "echo ceiling",
                    Note = seed?.ThroughputPerSecond is { } s && result.ThroughputPerSecond is { } one && one > 0
                        ? string.Create(CultureInfo.InvariantCulture, $"the seed scenario is {s / one:F0}x faster")
                        : null,
                };
        }
    }

    /// <summary>
    /// cluster-kill's acceptance: a worker that exits fails, whatever else; otherwise judged only when the node was
    /// killed with at least the trigger's requests in flight: nothing lost, at most one duplicate per request in
    /// flight at the kill, and the worker connected again (seen on /metrics) without a restart.
    /// </summary>
    public static bool? ClusterKillMet(ScenarioResult result)
    {
        if (!ProcessSurvived(result))
        {
            return false;
        }

        return result.Blip is { Happened: true, Error: null, InFlightAtBlip: { } inFlight } kill && inFlight >= kill.Threshold
            ? Accounted(result) && result.Duplicates <= inFlight && kill.WorkerReconnectedAfterSeconds is not null
            : null;
    }

    /// <summary>Every request replied, the process alive to the end, no OOM kill, no timeout.</summary>
    public static bool Drained(ScenarioResult result) => ProcessSurvived(result) && !result.TimedOut && result.Missing == 0;

    /// <summary>As <see cref="Drained"/>, but a request dead-lettered instead of replied is accounted for (not lost).</summary>
    public static bool Accounted(ScenarioResult result) => ProcessSurvived(result) && !result.TimedOut && (result.Lost ?? result.Missing) == 0;

    /// <summary>How the row ended, in a few words.</summary>
    public static string Outcome(ScenarioResult result)
    {
        var c = CultureInfo.InvariantCulture;
        if (result.OomKilled == true)
        {
            return string.Create(c, $"OOM-killed by the pod's memory limit; {result.Replied} of {result.Sent} replied");
        }

        if (result.ExitedEarly)
        {
            string code = result.ExitCode is { } exit ? string.Create(c, $" with code {exit}") : string.Empty;
            string after = result.ExitedAfterSeconds is { } seconds ? string.Create(c, $" {seconds:F1} s after start") : string.Empty;
            return string.Create(c, $"the process exited{code}{after} (not restarted); {result.Replied} of {result.Sent} replied");
        }

        if (result.TimedOut)
        {
            return string.Create(c, $"timed out: {result.Replied} of {result.Sent} replied");
        }

        if (result.Missing > 0)
        {
            return result.Lost is { } lost
                ? string.Create(c, $"{result.Missing} without a reply, {lost} of them lost (not dead-lettered)")
                : string.Create(c, $"{result.Missing} without a reply");
        }

        return "drained";
    }

    /// <summary>Duplicates as a share of the requests in flight at the blip, when there was one.</summary>
    public static double? DuplicateShare(ScenarioResult result) =>
        result.Blip is { Happened: true } blip ? BlipResult.DuplicateShare(result.Duplicates, blip.InFlightAtBlip) : null;

    private static string? BlipSummary(ScenarioResult result, double? share)
    {
        var c = CultureInfo.InvariantCulture;
        return result.Blip switch
        {
            null => null,
            { Happened: false } blip => string.Create(c, $"no blip: the worker never held {blip.Threshold} requests (most seen: {blip.MaxInFlightSeen?.ToString(c) ?? "none, /metrics unreadable"})"),
            { Error: { } error } => $"the blip failed: {error}",
            { } blip => string.Create(c, $"{blip.InFlightAtBlip} in flight when the worker lost its connection ({blip.InFlightAtTrigger} when rabbitmqctl was started; {blip.Action} took {blip.CommandSeconds:F1} s), {result.Duplicates} duplicates ({(share is { } part ? part.ToString("P1", c) : "–")} of them), {result.DeadLettered ?? 0} dead-lettered; worker reconnected after {(blip.WorkerReconnectedAfterSeconds is { } back ? back.ToString("F1", c) + " s" : "– (not seen)")}; reply collector reconnected {blip.CollectorRecoveries}x{(blip.InFlightAtBlip < blip.Threshold ? string.Create(c, $"; fewer than the {blip.Threshold} the blip is for: not judged") : string.Empty)}"),
        };
    }

    private static string? QueueAfterRun(ScenarioResult result)
    {
        var c = CultureInfo.InvariantCulture;
        string? afterRun = result.RequestQueueAfterRun is { } run
            ? string.Create(c, $"request queue after the worker stopped: {run.Ready} ready, {run.Unacknowledged} unacknowledged{(run.Unacknowledged > 0 ? " (held by consumers of the killed node: stranded, not redelivered)" : string.Empty)}")
            : null;
        string? back = result.RequestQueueAfterNodeBack is { } node
            ? string.Create(c, $"with the killed node started again: {node.Ready} ready, {node.Unacknowledged} unacknowledged")
            : null;
        return Join(afterRun, back);
    }

    private static string? KillSummary(ScenarioResult result)
    {
        var c = CultureInfo.InvariantCulture;
        return result.Blip switch
        {
            null => null,
            { Happened: false, Error: { } error } => $"not measured: {error}",
            { Happened: false } kill => string.Create(c, $"no kill: the worker never held {kill.Threshold} requests (most seen: {kill.MaxInFlightSeen?.ToString(c) ?? "none, /metrics unreadable"})"),
            { Error: { } error } => $"the kill failed: {error}",
            { } kill => string.Create(c, $"{kill.Detail ?? "a node"} with {kill.InFlightAtBlip} in flight ({kill.InFlightAtBlipSource ?? "metrics"}; {kill.InFlightAtTrigger} at the trigger; finding and killing the node took {kill.CommandSeconds:F1} s); {result.Duplicates} duplicates ({(result.Duplicates <= kill.InFlightAtBlip ? "<=" : ">")} in flight at the kill), {result.DeadLettered ?? 0} dead-lettered; worker {(kill.WorkerReconnectedAfterSeconds is { } back ? $"connected again {back:F1} s after losing its connection (/metrics)" : "not seen connected again (/metrics)")}, 'Connection recovered' logged {Seconds(kill.WorkerLogRecoveredAfterSeconds)} after the kill (the worker's own figure: {Seconds(kill.WorkerReportedOutageSeconds)}); reply collector reconnected {kill.CollectorRecoveries}x{(kill.InFlightAtBlip < kill.Threshold ? string.Create(c, $"; fewer than the {kill.Threshold} the kill is for: not judged") : string.Empty)}"),
        };

        static string Seconds(double? value) => value is { } v ? v.ToString("F1", CultureInfo.InvariantCulture) + " s" : "– (not seen)";
    }

    private static bool ProcessSurvived(ScenarioResult result) => !result.ExitedEarly && result.OomKilled != true;

    private static SizeResult? SeedSize(ScenarioResult result) => result.BySize?.FirstOrDefault(s => s.Values == SeedRequest.DataLength);

    private static double? Divide(double? value, double? by) => value is { } v && by is { } b && b > 0 ? v / b : null;

    private static string? Join(params string?[] parts)
    {
        string joined = string.Join("; ", parts.Where(p => !string.IsNullOrEmpty(p)));
        return joined.Length == 0 ? null : joined;
    }
}
