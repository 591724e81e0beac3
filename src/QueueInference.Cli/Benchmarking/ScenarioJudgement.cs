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

    /// <summary>Issue 14: the cpu-bound and model-heavy rows reach at least this share of their ceiling.</summary>
    public const double CeilingGoal = 0.85;

    /// <summary>Issue 14: the seed row's CPU per message at most this many times the echo's.</summary>
    public const double SeedCpuToEchoGoal = 1.3;

    /// <summary>Issue 14: model-heavy batched at least this many times as fast as unbatched.</summary>
    public const double BatchedToUnbatchedGoal = 5.0;

    /// <summary>
    /// The rising row: requests wait in the broker at most this long (pick-up p99) once the load rises, while the
    /// pod's budget has room for them; a pod that cannot take the higher rate lets the backlog, and the wait, grow
    /// for as long as the load lasts.
    /// </summary>
    public const double RisingPickUpGoalSeconds = 1.0;

    /// <summary>A pod that used at least this share of its 1 CPU over a drain is taken as CPU-bound; below it, the note says what held it back.</summary>
    public const double FullPodShare = 0.9;

    /// <summary>
    /// A model row whose ceiling is at least this share of the echo row's throughput (the broker's own rate on this
    /// machine) is not measuring the pod alone: at that rate the broker needs the cores the pod shares with it.
    /// </summary>
    public const double BrokerBoundCeilingShare = 0.8;

    /// <summary>Less than this many idle cores over a drain is a busy machine: 10 % of one core is the noise of the sampling and of the host.</summary>
    public const double BusyMachineIdleCores = 0.1;

    public static ScenarioResult Judge(ScenarioResult result, ScenarioResult? echo, ScenarioResult? seed, double cpuLimit, ScenarioResult? echoSteady, ScenarioResult? mixedEcho = null)
    {
        ScenarioResult judged = JudgeRow(result, echo, seed, cpuLimit, echoSteady, mixedEcho);
        return CpuSplitNote(judged, echo) is { } split ? judged with { Note = Join(judged.Note, split) } : judged;
    }

    /// <summary>
    /// A worker row's CPU per message split into its compute threads' and the rest, the rest beside the echo's: what the
    /// worker spends around the work, measured in the same drain as the work, whatever the machine's speed was then.
    /// </summary>
    public static string? CpuSplitNote(ScenarioResult result, ScenarioResult? echo)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.CpuMicrosecondsPerMessage is not { } total || result.ComputeCpuMicrosecondsPerMessage is not { } compute)
        {
            return null;
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"CPU per message {total:F1} µs: compute threads {compute:F1} µs, the rest {total - compute:F1} µs{(echo?.CpuMicrosecondsPerMessage is { } echoCpu ? string.Create(CultureInfo.InvariantCulture, $" (the echo's {echoCpu:F1} µs)") : string.Empty)}");
    }

    private static ScenarioResult JudgeRow(ScenarioResult result, ScenarioResult? echo, ScenarioResult? seed, double cpuLimit, ScenarioResult? echoSteady, ScenarioResult? mixedEcho)
    {
        double? ceiling = echo?.ThroughputPerSecond;
        double? ToCeiling(double? value) => value is { } v && ceiling is { } c && c > 0 ? v / c : null;
        result = result with { CpuPerMessageToEcho = result.Name == "echo" ? Divide(result.CpuMicrosecondsPerMessage, result.CpuMicrosecondsPerMessage) : Divide(result.CpuMicrosecondsPerMessage, echo?.CpuMicrosecondsPerMessage) };
        switch (result.Name)
        {
            case "echo":
                return result with { Ratio = 1.0, RatioTo = "echo ceiling" };
            case "seed":
                double? seedRatio = ToCeiling(result.ThroughputPerSecond);
                return result with
                {
                    Ratio = seedRatio,
                    RatioTo = "echo ceiling",
                    Target = ">= 0.85 of the echo ceiling",
                    TargetMet = BenchTargets.Met(seedRatio, v => v >= 0.85),
                    Note = SeedCpuNote(result, echo),
                };
            case "cpu-bound":
                return CpuBoundRow(result, echo, cpuLimit);
            case "model-heavy" or "model-heavy-unbatched":
                return ModelRow(result, echo);
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
            case "rising":
                return result with
                {
                    Ratio = ToCeiling(result.ThroughputPerSecond),
                    RatioTo = "echo ceiling",
                    Target = string.Create(CultureInfo.InvariantCulture, $"takes the higher rate as it comes: pick-up p99 <= {RisingPickUpGoalSeconds * 1000:F0} ms, 0 lost, 0 duplicates"),
                    TargetMet = result.Sent == 0 ? null : result.Missing == 0 && result.Duplicates == 0 && result.PickUp is { Count: > 0 } pickUp && pickUp.P99 <= RisingPickUpGoalSeconds,
                    Note = string.Create(CultureInfo.InvariantCulture, $"pick-up p99 {result.PickUp?.P99 * 1000:F1} ms, overhead p99 {result.Overhead?.P99 * 1000:F1} ms at {result.OfferedRatePerSecond:F0} msg/s offered after the light start"),
                };
            case "cold-start":
                return result with { Ratio = result.ColdStartSeconds / 0.5, RatioTo = "cold-start goal (0.5 s)", Target = "<= 500 ms to first reply", TargetMet = BenchTargets.Met(result.ColdStartSeconds, v => v <= 0.5) };
            case "seed-quorum":
                return BesideSeed(result, seed, ToCeiling(result.ThroughputPerSecond), "drains on a quorum request queue (every request replied, no exit)", "the classic seed row's throughput");
            case "seed-max-length":
                return BesideSeed(result, seed, ToCeiling(result.ThroughputPerSecond), "consumed as it is: drains a request queue declared with x-max-length (every request replied, no exit)", "the seed row's throughput");
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
                        MixedEchoNote(seedSize, mixedEcho, seed),
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

    /// <summary>
    /// Issue 14's ceiling for a row whose work costs CPU: 1 ÷ (the echo row's CPU seconds per message + the work's seconds
    /// per message), i.e. what the pod could do if the worker cost no more than the echo besides that work. The row's
    /// goal is <see cref="CeilingGoal"/> of it; without an echo row (or its CPU figure) it is not judged.
    /// </summary>
    public static double? Ceiling(double? echoCpuMicrosecondsPerMessage, double workSecondsPerMessage) =>
        echoCpuMicrosecondsPerMessage is { } echo && double.IsFinite(echo) && echo > 0 && workSecondsPerMessage >= 0 ? 1 / ((echo / 1e6) + workSecondsPerMessage) : null;

    /// <summary>
    /// The ceiling of a drain whose every request first waits <paramref name="ioDelaySeconds"/> (the I/O step) before
    /// any work: no pod starts the work before the first wait is over, so the best drain takes that wait plus the
    /// backlog at the ceiling's rate, less what a pod could do meanwhile. That is at most the echo's whole cost for each
    /// request it may hold (<paramref name="heldAtMost"/>; null: all of them), and no more than the wait. Equal to
    /// <paramref name="ceilingPerSecond"/> without a wait; the same ceiling in the units of the row's throughput
    /// (replies ÷ first pick-up to last reply), which counts the wait.
    /// </summary>
    public static double? DrainCeiling(double? ceilingPerSecond, long messages, double? ioDelaySeconds, double? echoMicrosecondsPerMessage, int? heldAtMost)
    {
        if (ceilingPerSecond is not { } rate || rate <= 0 || messages < 1 || ioDelaySeconds is not { } wait || wait <= 0 || echoMicrosecondsPerMessage is not { } echo)
        {
            return ceilingPerSecond;
        }

        double heldDuringWait = Math.Min(messages, heldAtMost ?? messages);
        double doneDuringWait = Math.Min(wait, heldDuringWait * echo / 1e6);
        return messages / ((messages / rate) + wait - doneDuringWait);
    }

    /// <summary>
    /// cpu-bound: its ratio to <see cref="Ceiling"/> with the transformation's CPU time per message, timed alone right
    /// after the row (the start-of-run timing when the row has none), over the drain (<see cref="DrainCeiling"/>: the
    /// I/O step's first wait); the fastest-round ceiling uses that timing's fastest round; the CPU limit (the
    /// transformation alone) in the note.
    /// </summary>
    private static ScenarioResult CpuBoundRow(ScenarioResult result, ScenarioResult? echo, double cpuLimit)
    {
        var c = CultureInfo.InvariantCulture;
        TransformationCostRow? timed = result.Transformation;
        double timedWork = timed?.CpuSecondsPerMessage ?? 1 / cpuLimit;
        double work = CeilingWork(timedWork, result.ComputeCpuMicrosecondsPerMessage);
        double? ceiling = Ceiling(echo?.CpuMicrosecondsPerMessage, work);
        double? drainCeiling = OverTheDrain(result, ceiling, echo);
        double? ratio = Divide(result.ThroughputPerSecond, drainCeiling);
        result = WithFastestRound(result, echo, timed is null ? null : CeilingWork(timed.BestSecondsPerMessage, result.ComputeCpuMicrosecondsPerMessage));
        return result with
        {
            CeilingPerSecond = ceiling,
            DrainCeilingPerSecond = drainCeiling,
            Ratio = ratio,
            RatioTo = ceiling is { } limit
                ? string.Create(c, $"ceiling 1 / (echo CPU {echo!.CpuMicrosecondsPerMessage:F1} µs + the transformation {work * 1e6:F1} µs) = {limit:F0} msg/s{DrainCeilingText(result, limit, drainCeiling)}")
                : "ceiling (needs the echo row's CPU per message)",
            Target = string.Create(c, $">= {CeilingGoal:0.00} of 1 / (echo CPU per message + the transformation's cost), over the drain"),
            TargetMet = AboveCeiling(ratio) ? null : BenchTargets.Met(ratio, v => v >= CeilingGoal),
            Note = Join(
                ceiling is null ? "no echo row with a CPU per message in this run (add -s echo): ceiling not judged" : null,
                AboveCeilingNote(ratio),
                timed is null ? null : string.Create(c, $"the transformation alone after the row: {timed.CpuSecondsPerMessage * 1e6:F1} µs of CPU per message (fastest round {timed.BestSecondsPerMessage * 1e6:F1} µs, median {timed.MedianSecondsPerMessage * 1e6:F1} µs, CPU share {timed.CpuShare:F2})"),
                CappedWorkNote("transformation", timedWork, work),
                FastestRoundNote(result),
                Divide(result.ThroughputPerSecond, 1 / work) is { } toLimit ? string.Create(c, $"{toLimit:F3} of the CPU limit ({1 / work:F0} msg/s, the transformation alone)") : null,
                PodShareNote(result)),
        };
    }

    /// <summary>
    /// The work's cost per message for a ceiling: its timing alone, but no more than the row's compute threads spent per
    /// message, since they did that work and more (the transformation, the model run, the reply body). A timing above it
    /// ran slower than the row itself (a machine disturbed after the row, or other code: the timing runs in this tool,
    /// the row in the worker's native build), and would set the ceiling too low and the ratio too high.
    /// </summary>
    internal static double CeilingWork(double timedSeconds, double? computeMicrosecondsPerMessage) =>
        computeMicrosecondsPerMessage is { } compute && double.IsFinite(compute) && compute > 0 ? Math.Min(timedSeconds, compute / 1e6) : timedSeconds;

    private static string? CappedWorkNote(string work, double timedSeconds, double usedSeconds) => usedSeconds < timedSeconds
        ? string.Create(CultureInfo.InvariantCulture, $"the {work} timed alone ({timedSeconds * 1e6:F1} µs) cost more than the row's compute threads spent per message ({usedSeconds * 1e6:F1} µs, that work and more): the ceiling takes the compute threads' figure")
        : null;

    /// <summary>
    /// A row cannot do more than its ceiling: a ratio above 1 means the timing after the row ran slower than the row
    /// itself (the machine was disturbed while it ran; its median and fastest round then differ), so it is not judged.
    /// </summary>
    internal static bool AboveCeiling(double? ratio) => ratio > 1;

    private static string? AboveCeilingNote(double? ratio) => AboveCeiling(ratio)
        ? string.Create(CultureInfo.InvariantCulture, $"{ratio:F3} of its ceiling, which a ceiling cannot allow: the timing after the row was slower than the row itself (a disturbed machine), so the goal is not judged; run it again")
        : null;

    /// <summary><see cref="DrainCeiling"/> for a row: its replies, its I/O step and what it may hold.</summary>
    private static double? OverTheDrain(ScenarioResult result, double? ceiling, ScenarioResult? echo) =>
        DrainCeiling(ceiling, result.Replied, result.IoDelaySeconds, echo?.CpuMicrosecondsPerMessage, result.MaxInFlight);

    private static string DrainCeilingText(ScenarioResult result, double ceiling, double? drainCeiling) =>
        drainCeiling is { } drain && drain < ceiling
            ? string.Create(CultureInfo.InvariantCulture, $"; over this drain, whose requests first wait {result.IoDelaySeconds:0.###} s (the I/O step): {drain:F0} msg/s ({result.ThroughputPerSecond / ceiling:F3} of the rate without that wait)")
            : string.Empty;

    /// <summary>The ceiling built from the work's fastest timing round instead (over the drain, as the ceiling), and the row's ratio to it: reported, not judged.</summary>
    private static ScenarioResult WithFastestRound(ScenarioResult result, ScenarioResult? echo, double? fastestWorkSeconds)
    {
        double? ceiling = OverTheDrain(result, fastestWorkSeconds is { } work ? Ceiling(echo?.CpuMicrosecondsPerMessage, work) : null, echo);
        return result with { FastestRoundCeilingPerSecond = ceiling, RatioToFastestRoundCeiling = Divide(result.ThroughputPerSecond, ceiling) };
    }

    /// <summary>The ratio to the fastest-round ceiling, for the report's note.</summary>
    private static string? FastestRoundNote(ScenarioResult result) =>
        result.FastestRoundCeilingPerSecond is { } limit && result.RatioToFastestRoundCeiling is { } ratio
            ? string.Create(CultureInfo.InvariantCulture, $"{ratio:F3} of the fastest-round ceiling ({limit:F0} msg/s)")
            : null;

    /// <summary>
    /// model-heavy (goal: <see cref="CeilingGoal"/> of its ceiling) and model-heavy-unbatched (goal: the batched row
    /// <see cref="BatchedToUnbatchedGoal"/>x as fast), each with the ceiling of its own batch size.
    /// </summary>
    private static ScenarioResult ModelRow(ScenarioResult result, ScenarioResult? echo)
    {
        var c = CultureInfo.InvariantCulture;
        ModelCostAtBatch? model = result.Model;
        double? work = model is null ? null : CeilingWork(model.CpuSecondsPerItem, result.ComputeCpuMicrosecondsPerMessage);
        double? ceiling = work is { } cost ? Ceiling(echo?.CpuMicrosecondsPerMessage, cost) : null;
        double? drainCeiling = OverTheDrain(result, ceiling, echo);
        double? ratio = Divide(result.ThroughputPerSecond, drainCeiling);
        result = WithFastestRound(result, echo, model is null ? null : CeilingWork(model.SecondsPerItem, result.ComputeCpuMicrosecondsPerMessage));
        bool batched = result.Name == "model-heavy";
        string? modelNote = model is null
            ? "no mean batch size (the worker's /metrics was not read): the model was not timed, ceiling not judged"
            : string.Create(c, $"mean batch size {model.MeanBatchSize:F2} over {result.InferenceRuns} runs; the model alone at batch {model.TimedBatchSize}: {model.CpuSecondsPerItem * 1e6:F1} µs of CPU per item (fastest round {model.SecondsPerItem * 1e6:F1} µs, median {model.MedianSecondsPerItem * 1e6:F1} µs, CPU share {model.CpuShare:F2})");
        string? podShare = PodShareNote(result);
        string? brokerRate = BrokerRateNote(ceiling, echo);
        return result with
        {
            CeilingPerSecond = ceiling,
            DrainCeilingPerSecond = drainCeiling,
            Ratio = ratio,
            RatioTo = ceiling is { } limit
                ? string.Create(c, $"ceiling 1 / (echo CPU {echo!.CpuMicrosecondsPerMessage:F1} µs + model {work * 1e6:F1} µs at batch {model!.TimedBatchSize}) = {limit:F0} msg/s{DrainCeilingText(result, limit, drainCeiling)}")
                : "ceiling (needs the echo row's CPU per message and the model's cost)",
            Target = batched
                ? string.Create(c, $">= {CeilingGoal:0.00} of its ceiling")
                : string.Create(c, $"model-heavy (batched) >= {BatchedToUnbatchedGoal:0}x this row"),
            TargetMet = batched
                ? (!Drained(result) ? false : AboveCeiling(ratio) ? null : BenchTargets.Met(ratio, v => v >= CeilingGoal))
                : (Drained(result) ? BenchTargets.Met(result.BatchedToUnbatched, v => v >= BatchedToUnbatchedGoal) : false),
            Note = Join(
                Outcome(result),
                batched ? AboveCeilingNote(ratio) : null,
                modelNote,
                model is null ? null : CappedWorkNote("model", model.CpuSecondsPerItem, work!.Value),
                FastestRoundNote(result),
                brokerRate,
                podShare,
                batched ? null : result.BatchedToUnbatched is { } speedup ? string.Create(c, $"model-heavy (batched) is {speedup:F2}x this row") : "no model-heavy row in this run to compare with (add -s model-heavy)"),
        };
    }

    /// <summary>
    /// How much of its 1 CPU the pod used over the drain, and the machine's idle cores over the same window. Below
    /// <see cref="FullPodShare"/> with no core idle, the broker and this tool (which share the machine) had the cores
    /// the pod was waiting for. With cores idle the note draws no conclusion: the pod may have waited for work, or
    /// lost part of its quota to throttling spread over both cores.
    /// </summary>
    public static string? PodShareNote(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (PodCpuShare(result) is not { } share)
        {
            return null;
        }

        var c = CultureInfo.InvariantCulture;
        string others = (Cores(result.BrokerDrainCpu), Cores(result.ToolDrainCpu)) switch
        {
            ({ } broker, { } tool) => string.Create(c, $", the broker {broker:F2} and this tool {tool:F2} cores"),
            (null, { } tool) => string.Create(c, $", this tool {tool:F2} cores"),
            _ => string.Empty,
        };
        string idle = result.MachineIdleCores is { } cores ? string.Create(c, $", with {cores:F2} of the machine's cores idle") : string.Empty;
        string why = share >= FullPodShare ? string.Empty
            : result.MachineIdleCores is null ? " (below its 1 CPU: the machine, not the pod's limit, held it back)"
            : result.MachineIdleCores < BusyMachineIdleCores ? " (below its 1 CPU with no core idle: the broker and this tool, which share the machine, had the cores it was waiting for)"
            : string.Empty;
        return string.Create(c, $"the pod used {share:F2} CPU over the drain{others}{idle}{why}{ComputeLaneNote(result, share)}");
    }

    /// <summary>
    /// What the compute threads did with the drain: ran, waited for a core with work to do, or had none. A pod below its
    /// CPU whose lane had work nearly all the time lacked cores, not work.
    /// </summary>
    private static string ComputeLaneNote(ScenarioResult result, double podShare)
    {
        if (result.ComputeThreadsRunningCores is not { } running || result.ComputeThreadsWaitingCores is not { } waiting)
        {
            return string.Empty;
        }

        string verdict = podShare < FullPodShare && running + waiting >= FullPodShare
            ? "; it had work, so the pod lacked a core rather than work"
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"; its compute threads ran {running:F2} and waited for a core {waiting:F2} of each second of the drain{verdict}");
    }

    /// <summary>
    /// The ceiling beside the echo row's throughput, the broker's own rate here: the model rows measure the pod only
    /// while their ceiling stays well below it (issue 14), which a faster machine or a cheaper model can undo.
    /// </summary>
    private static string? BrokerRateNote(double? ceiling, ScenarioResult? echo)
    {
        if (ceiling is not { } limit || echo?.ThroughputPerSecond is not { } brokerRate || brokerRate <= 0)
        {
            return null;
        }

        double share = limit / brokerRate;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"the ceiling is {share:F2} of the echo row's throughput ({brokerRate:F0} msg/s, the broker's own rate here){(share >= BrokerBoundCeilingShare ? ": near it, the broker needs the cores the pod shares with it, and the row measures the broker as much as the pod" : string.Empty)}");
    }

    /// <summary>The pod's CPU seconds per second over the drain window (its limit is 1); null without a CPU measurement.</summary>
    public static double? PodCpuShare(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Cores(result.DrainCpu);
    }

    /// <summary>CPU seconds per second over a drain window: the cores a process took on average.</summary>
    public static double? Cores(DrainCpu? cpu) => cpu is { WindowSeconds: > 0 } window ? window.CpuSeconds / window.WindowSeconds : null;

    /// <summary>The seed row's CPU per message against the echo's (issue 14's goal: at most <see cref="SeedCpuToEchoGoal"/>x).</summary>
    private static string? SeedCpuNote(ScenarioResult seed, ScenarioResult? echo) =>
        seed.CpuPerMessageToEcho is { } ratio
            ? string.Create(CultureInfo.InvariantCulture, $"CPU {seed.CpuMicrosecondsPerMessage:F1} µs per message = {ratio:F2}x the echo's {echo?.CpuMicrosecondsPerMessage:F1} µs (goal <= {SeedCpuToEchoGoal:0.0}x)")
            : null;

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

    /// <summary>A seed-workload row on another kind of request queue: judged on draining, its share of the seed row in the note.</summary>
    private static ScenarioResult BesideSeed(ScenarioResult result, ScenarioResult? seed, double? toEcho, string target, string seedRow)
    {
        double? toSeed = Divide(result.ThroughputPerSecond, seed?.ThroughputPerSecond);
        return result with
        {
            Ratio = toEcho,
            RatioTo = "echo ceiling",
            Target = target,
            TargetMet = Drained(result),
            Note = Join(Outcome(result), toSeed is { } share ? string.Create(CultureInfo.InvariantCulture, $"{share:F3} of {seedRow}") : null),
        };
    }

    /// <summary>
    /// The echo on the same mix: the seed-size rate the broker and client allow for that mix here, so a mixed row short
    /// of the seed row's rate shows whether the worker or the bytes of the large requests held it back.
    /// </summary>
    private static string? MixedEchoNote(double? seedSize, ScenarioResult? mixedEcho, ScenarioResult? seed)
    {
        if (mixedEcho is null || SeedSize(mixedEcho)?.ThroughputPerSecond is not { } echoRate || echoRate <= 0)
        {
            return null;
        }

        var c = CultureInfo.InvariantCulture;
        return Join(
            string.Create(c, $"the echo on the same mix: seed-size {echoRate:F1} msg/s"),
            seedSize is { } rate ? string.Create(c, $"this row {rate / echoRate:F3} of it") : null,
            seed?.ThroughputPerSecond is { } seedRate ? string.Create(c, $"the mix's own ceiling is {echoRate / seedRate:F3} of the seed row") : null);
    }

    private static SizeResult? SeedSize(ScenarioResult result) => result.BySize?.FirstOrDefault(s => s.Values == SeedRequest.DataLength);

    private static double? Divide(double? value, double? by) => value is { } v && by is { } b && b > 0 ? v / b : null;

    private static string? Join(params string?[] parts)
    {
        string joined = string.Join("; ", parts.Where(p => !string.IsNullOrEmpty(p)));
        return joined.Length == 0 ? null : joined;
    }
}
