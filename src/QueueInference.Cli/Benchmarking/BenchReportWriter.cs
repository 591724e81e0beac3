using System.Globalization;
using System.Text;
using System.Text.Json;
using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Benchmarking;

/// <summary>Writes results/benchmark.json and results/benchmark.md.</summary>
public static class BenchReportWriter
{
    public static async Task<IReadOnlyList<string>> WriteAsync(BenchReport report, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        string json = Path.Combine(directory, "benchmark.json");
        string markdown = Path.Combine(directory, "benchmark.md");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, ReportJson.Options), cancellationToken);
        await File.WriteAllTextAsync(markdown, ToMarkdown(report), cancellationToken);
        return [json, markdown];
    }

    public static string ResultsTable(IReadOnlyList<ScenarioResult> scenarios)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("| scenario | backlog | in flight | I/O (s) | drain (s) | throughput (msg/s) | ratio | ratio to | CPU per message (µs) | CPU ÷ echo's | total p50 (ms) | total p99 (ms) | overhead p99 (ms) | cold start (ms) | peak RSS (MiB) | cgroup peak (MiB) | limit hit |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (ScenarioResult s in scenarios)
        {
            md.AppendLine(c, $"| {s.Name} | {s.Backlog} | {s.MaxInFlight?.ToString(c) ?? "default"} | {s.IoDelaySeconds:0.###} | {N(s.DrainSeconds, "F2")} | {N(s.ThroughputPerSecond, "F1")} | {N(s.Ratio, "F3")} | {s.RatioTo} | {N(s.CpuMicrosecondsPerMessage, "F1")} | {N(s.CpuPerMessageToEcho, "F2")} | {N(s.Total?.P50 * 1000, "F0")} | {N(s.Total?.P99 * 1000, "F0")} | {N(s.Overhead?.P99 * 1000, "F1")} | {N(s.ColdStartSeconds * 1000, "F0")} | {N(s.PeakRssMiB, "F0")} | {N(s.CgroupPeakMiB, "F0")} | {B(s.LimitHit)}{(s.OomKilled == true ? " (OOM kill)" : string.Empty)} |");
        }

        return md.ToString();
    }

    /// <summary>The production scenarios' rows (issue 13) with everything they are judged on; empty when none ran.</summary>
    public static string ProductionTable(IReadOnlyList<ScenarioResult> scenarios)
    {
        ScenarioResult[] rows = [.. scenarios.Where(s => BenchSettings.ProductionScenarios.Contains(s.Name))];
        if (rows.Length == 0)
        {
            return string.Empty;
        }

        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("| scenario | values | queue | sent | replied | missing | duplicates | dead-lettered | lost | peak in flight | peak RSS (MiB) | cgroup peak (MiB) | OOM kill | exited | timed out | CPU (s) | drain (s) | throughput (msg/s) | seed-size throughput (msg/s) | in flight at blip / kill | duplicates / in flight | goal met |");
        md.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (ScenarioResult r in rows)
        {
            string exited = r.ExitedEarly ? $"yes{(r.ExitCode is { } code ? $" (code {code})" : string.Empty)}" : "no";
            double? seedSize = r.BySize?.FirstOrDefault(size => size.Values == SeedRequest.DataLength)?.ThroughputPerSecond;
            string inFlight = r.Blip switch { null => "–", { Happened: false } => "no blip", { } blip => blip.InFlightAtBlip?.ToString(c) ?? "–" };
            md.AppendLine(c, $"| {r.Name} | {r.Values} | {r.QueueType}{(r.QueueArguments is { } arguments ? $" ({arguments})" : string.Empty)} | {r.Sent} | {r.Replied} | {r.Missing} | {r.Duplicates} | {r.DeadLettered?.ToString(c) ?? "–"} | {r.Lost?.ToString(c) ?? "–"} | {r.PeakInFlight?.ToString(c) ?? "–"} | {N(r.PeakRssMiB, "F0")} | {N(r.CgroupPeakMiB, "F0")} | {B(r.OomKilled)} | {exited} | {(r.TimedOut ? "yes" : "no")} | {N(r.CpuSeconds, "F1")} | {N(r.DrainSeconds, "F2")} | {N(r.ThroughputPerSecond, "F1")} | {N(seedSize, "F1")} | {inFlight} | {N(ScenarioJudgement.DuplicateShare(r) * 100, "F2")}{(ScenarioJudgement.DuplicateShare(r) is null ? string.Empty : " %")} | {(r.TargetMet switch { true => "yes", false => "NO", null => "not judged" })} |");
        }

        return md.ToString();
    }

    /// <summary>The model rows (issue 14): what their ceilings are made of, and where each row stands; empty when none ran.</summary>
    public static string ModelTable(IReadOnlyList<ScenarioResult> scenarios)
    {
        ScenarioResult[] rows = [.. scenarios.Where(s => BenchSettings.ModelScenarios.Contains(s.Name))];
        if (rows.Length == 0)
        {
            return string.Empty;
        }

        double? echoCpu = scenarios.FirstOrDefault(s => s.Name == "echo")?.CpuMicrosecondsPerMessage;
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("| scenario | sent | replied | inference runs | mean batch size | timed at batch | model CPU (µs per item) | model fastest round (µs) | echo CPU (µs per message) | ceiling (msg/s) | throughput (msg/s) | ratio to ceiling | ratio to fastest-round ceiling | sustained (msg/s) | CPU per message (µs) | pod CPU share | compute threads ran / waited for a core | batched ÷ unbatched | goal met |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (ScenarioResult r in rows)
        {
            md.AppendLine(c, $"| {r.Name} | {r.Sent} | {r.Replied} | {r.InferenceRuns?.ToString(c) ?? "–"} | {N(r.MeanBatchSize, "F2")} | {r.Model?.TimedBatchSize.ToString(c) ?? "–"} | {N(r.Model?.CpuSecondsPerItem * 1e6, "F1")} | {N(r.Model?.SecondsPerItem * 1e6, "F1")} | {N(echoCpu, "F1")} | {N(r.CeilingPerSecond, "F0")}{(r.DrainCeilingPerSecond is { } drain && drain < r.CeilingPerSecond ? string.Create(c, $" ({drain:F0} over the drain)") : string.Empty)} | {N(r.ThroughputPerSecond, "F1")} | {N(r.Ratio, "F3")} | {N(r.RatioToFastestRoundCeiling, "F3")} | {N(r.SustainedPerSecond, "F1")} | {N(r.CpuMicrosecondsPerMessage, "F1")} | {N(ScenarioJudgement.PodCpuShare(r), "F2")} | {N(r.ComputeThreadsRunningCores, "F2")} / {N(r.ComputeThreadsWaitingCores, "F2")} | {N(r.BatchedToUnbatched, "F2")} | {(r.TargetMet switch { true => "yes", false => "NO", null => "not judged" })} |");
        }

        return md.ToString();
    }

    /// <summary>
    /// Where the machine's cores went over each row's drain: the pod, the broker node, this tool and idle, in cores (CPU
    /// seconds per second), and the broker's and this tool's CPU per reply. Empty when no row has these figures.
    /// </summary>
    public static string MachineTable(IReadOnlyList<ScenarioResult> scenarios, int machineCores)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        ScenarioResult[] rows = [.. scenarios.Where(s => s.BrokerDrainCpu is not null || s.ToolDrainCpu is not null)];
        if (rows.Length == 0)
        {
            return string.Empty;
        }

        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("| scenario | throughput (msg/s) | pod (cores) | broker (cores) | qi (cores) | idle (cores) | the rest (cores) | broker CPU per message (µs) | qi CPU per message (µs) |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (ScenarioResult r in rows)
        {
            double? pod = ScenarioJudgement.PodCpuShare(r);
            double? broker = ScenarioJudgement.Cores(r.BrokerDrainCpu);
            double? tool = ScenarioJudgement.Cores(r.ToolDrainCpu);
            double? rest = machineCores - pod - broker - tool - r.MachineIdleCores;
            md.AppendLine(c, $"| {r.Name} | {N(r.ThroughputPerSecond, "F1")} | {N(pod, "F2")} | {N(broker, "F2")} | {N(tool, "F2")} | {N(r.MachineIdleCores, "F2")} | {N(rest, "F2")} | {N(r.BrokerDrainCpu?.MicrosecondsPerMessage, "F1")} | {N(r.ToolDrainCpu?.MicrosecondsPerMessage, "F1")} |");
        }

        return md.ToString();
    }

    public static string TargetsTable(IReadOnlyList<BenchTarget> targets)
    {
        var md = new StringBuilder("| goal | this run | met |\n|---|---|---|\n");
        foreach (BenchTarget t in targets)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {t.Goal} | {t.Actual} | {(t.Met switch { true => "yes", false => "NO", null => "not judged" })} |");
        }

        return md.ToString();
    }

    private static string ToMarkdown(BenchReport report)
    {
        var c = CultureInfo.InvariantCulture;
        BenchSettings s = report.Settings;
        MachineInfo m = report.Machine;
        var md = new StringBuilder();
        md.AppendLine("# Benchmark: one 1 CPU / 512 MiB pod");
        md.AppendLine();
        md.AppendLine(c, $"Run `{report.RunId}`, started {report.StartedAt:u}, {report.DurationSeconds:F0} s. Written by `qi bench`; see docs/benchmark.md for what each row means.");
        md.AppendLine();
        if (report.Interrupted)
        {
            md.AppendLine("**Interrupted** (SIGINT/SIGTERM): only the scenarios below were measured.");
            md.AppendLine();
        }

        md.AppendLine(c, $"Headline: the seed scenario drained at **{N(report.HeadlineSeedToCeilingRatio, "F3")}** of the echo ceiling measured in the same run and pod.");
        md.AppendLine();
        md.Append(ResultsTable(report.Scenarios));
        md.AppendLine();
        md.AppendLine("Throughput = replies ÷ drain time (first pick-up to last response). Latencies are the seed's: total = response − send, so in drain scenarios they include the time waiting in the backlog. Overhead = total − I/O delay under steady open-loop load. Peak RSS = the process's VmHWM; cgroup peak also counts page cache.");
        md.AppendLine();
        md.Append(TargetsTable(report.Targets));
        md.AppendLine();
        if (ProductionTable(report.Scenarios) is { Length: > 0 } production)
        {
            md.AppendLine("Production scenarios (issue 13; docs/benchmark.md): lost = sent − replied − dead-lettered requests without a reply; a process that exits is not restarted, and its row fails.");
            md.AppendLine();
            md.Append(production);
            md.AppendLine();
        }

        if (ModelTable(report.Scenarios) is { Length: > 0 } models)
        {
            md.AppendLine("Model rows (issue 14; docs/benchmark.md): ceiling = 1 ÷ (the echo row's CPU per message + the model's CPU time per item across its timing rounds, alone on one intra-op thread at the mean batch size the row reached); the fastest-round ceiling uses the fastest round's time instead; batched ÷ unbatched = model-heavy's throughput ÷ model-heavy-unbatched's; pod CPU share = the pod's CPU seconds per second over the drain (its limit is 1; below, the machine held it back); compute threads ran / waited for a core = their CPU seconds and their runnable-but-waiting seconds (schedstat) per second of the drain, so what is left of 1 is time the lane had no work; with an I/O step the ceiling is also given over the drain, which counts the first wait, and the ratio is to that.");
            md.AppendLine();
            md.Append(models);
            md.AppendLine();
        }

        md.AppendLine("CPU per message = the pod's CPU time from the first request's pick-up to the last reply's arrival ÷ the replies (start-up excluded; read from the pod's cgroup counter, or /proc/<pid>/stat without one); CPU ÷ echo's = that figure ÷ the echo row's.");
        md.AppendLine();
        md.AppendLine("CPU share = the process's CPU seconds ÷ drain time: how much of the pod's one CPU it used, start-up included (a row well below 1.0 was not limited by the pod's CPU; not shown for drains under 5 s).");
        md.AppendLine();
        md.AppendLine("| scenario | sustained (msg/s) | replied/sent | duplicates | CPU (s) | CPU share | CPU throttled (s) | pick-up p50 (ms) | processing p50 (ms) | processing p99 (ms) | note |");
        md.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (ScenarioResult r in report.Scenarios)
        {
            md.AppendLine(c, $"| {r.Name} | {N(r.SustainedPerSecond, "F1")} | {r.Replied}/{r.Sent} | {r.Duplicates} | {N(r.CpuSeconds, "F1")} | {N(r.DrainSeconds > 5 ? r.CpuSeconds / r.DrainSeconds : null, "F2")} | {N(r.CpuThrottledSeconds, "F1")} | {N(r.PickUp?.P50 * 1000, "F0")} | {N(r.Processing?.P50 * 1000, "F1")} | {N(r.Processing?.P99 * 1000, "F1")} | {r.Note} |");
        }

        md.AppendLine();
        if (MachineTable(report.Scenarios, m.Cores) is { Length: > 0 } machine)
        {
            md.AppendLine(c, $"Where the machine's {m.Cores} cores went over each drain (first pick-up to last reply; CPU seconds per second): the pod, the broker node (its Erlang VM; only rows on the run's own node), `qi` itself (publishing, collecting and checking replies, sampling), idle, and the rest (other processes, the kernel's own threads, rounding). The broker and `qi` share the machine with the pod here; on a cluster the broker has machines of its own.");
            md.AppendLine();
            md.Append(machine);
            md.AppendLine();
        }

        md.AppendLine("## Machine, versions, settings");
        md.AppendLine();
        md.AppendLine(c, $"- Machine: {m.CpuModel}, {m.Cores} cores, {m.MemoryGiB} GiB; {m.Os}, kernel {m.Kernel} (shared and noisy: compare ratios, not bare times)");
        md.AppendLine(c, $"- Pod: {report.Sandbox}");
        md.AppendLine(c, $"- Versions: {m.DotnetRuntime}; RabbitMQ.Client {m.RabbitMqClient}; RabbitMQ server {m.RabbitMqServer ?? "unknown"}");
        md.AppendLine(report.Settings.Broker is null
            ? "- Broker: a private node started for this run, classic queues on storage version 2 by policy (RabbitMQ 3.13+ recommends it, 4.x has only v2)"
            : "- Broker: the one given with --broker (its queue storage settings are its own)");
        md.AppendLine(c, $"- Worker: {s.WorkerPath} ({(s.WorkerIsManaged ? "a dll run by dotnet: JIT" : "native code, as scripts/bench.sh publishes it and the container image ships it")})");
        md.AppendLine(c, $"- Settings: backlog {s.Backlog} (cpu-bound {s.CpuBoundBacklog ?? s.Backlog}, one-at-a-time {s.OneAtATimeBacklog}), I/O delay {s.IoDelay.TotalSeconds:0.###} s, max in flight {s.MaxInFlight}, steady {s.SteadySeconds} s{(s.WorkerEnvironment.Count > 0 ? $", worker environment {string.Join(" ", s.WorkerEnvironment)}" : string.Empty)}");
        if (report.Scenarios.Any(r => BenchSettings.ProductionScenarios.Contains(r.Name)))
        {
            md.AppendLine(c, $"- Production scenarios: large {s.LargeBacklog} × {BenchSettings.LargeRequestValues} values, mixed {s.MixedBacklog} of {s.MixedValues}, blips and cluster-kill at {s.BlipInFlight} in flight, blip-stop I/O {s.BlipStopIoDelay.TotalSeconds:0.#} s and outage {s.BlipOutage.TotalSeconds:0.#} s, seed-max-length's x-max-length {BenchRunner.MaxLengthBacklogs} × the backlog, scenario timeout {s.ScenarioTimeout}");
        }

        if (report.Scenarios.Any(r => BenchSettings.ModelScenarios.Contains(r.Name)))
        {
            md.AppendLine(c, $"- Model rows: {s.ModelHeavyBacklog} requests of {BenchSettings.ModelRequestValues} values each, I/O step {s.ModelHeavyIoDelay.TotalSeconds:0.###} s, model {s.HeavyModel ?? $"model-heavy generated by {BenchSettings.MakeModelScript}"}, Transformation:Mode=Features");
        }

        md.AppendLine(c, $"- Transformation (SeedCost) timed at the start on one core: {report.Transformation.CpuSecondsPerMessage * 1000:F3} ms of CPU per message (fastest round {report.Transformation.BestSecondsPerMessage * 1000:F3} ms, median {report.Transformation.MedianSecondsPerMessage * 1000:F3} ms), CPU limit {report.CpuLimitPerSecond:F0} msg/s; the cpu-bound row's ceiling uses the transformation timed again right after that row, over its drain (the I/O step's first wait counted)");
        return md.ToString();
    }

    /// <summary>A number for a table cell, or an en dash when it was not measured.</summary>
    public static string N(double? value, string format) => value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    private static string B(bool? value) => value switch { true => "yes", false => "no", null => "n/a" };
}
