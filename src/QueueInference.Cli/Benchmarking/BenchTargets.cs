using System.Globalization;

namespace QueueInference.Cli.Benchmarking;

/// <summary>The issue's benchmark goals, judged on one run's rows. A missing scenario leaves its goal unjudged (null).</summary>
public static class BenchTargets
{
    public static IReadOnlyList<BenchTarget> Evaluate(IReadOnlyList<ScenarioResult> scenarios)
    {
        ScenarioResult? seed = scenarios.FirstOrDefault(s => s.Name == "seed");
        ScenarioResult? cpu = scenarios.FirstOrDefault(s => s.Name == "cpu-bound");
        ScenarioResult? steady = scenarios.FirstOrDefault(s => s.Name == "steady");
        ScenarioResult? cold = scenarios.FirstOrDefault(s => s.Name == "cold-start");
        string[] killed = [.. scenarios.Where(s => s.OomKilled == true || s.ExitedEarly).Select(s => s.Name)];
        return
        [
            new("seed: >= 0.85 of the echo ceiling", Format("{0:F3}", seed?.Ratio), Met(seed?.Ratio, v => v >= 0.85)),
            new("seed: CPU per message <= 1.3x the echo's", Format("{0:F2}x", seed?.CpuPerMessageToEcho), Met(seed?.CpuPerMessageToEcho, v => v <= ScenarioJudgement.SeedCpuToEchoGoal)),
            new("cpu-bound: >= 0.85 of 1 / (echo CPU per message + transformation cost), over the drain", Format("{0:F3}", cpu?.Ratio), ScenarioJudgement.AboveCeiling(cpu?.Ratio) ? null : Met(cpu?.Ratio, v => v >= ScenarioJudgement.CeilingGoal)),
            new("steady: pipeline overhead p99 <= 25 ms", Format("{0:F1} ms", steady?.Overhead?.P99 * 1000), Met(steady?.Overhead?.P99, v => v <= 0.025)),
            new("cold start: <= 500 ms to first reply", Format("{0:F0} ms", cold?.ColdStartSeconds * 1000), Met(cold?.ColdStartSeconds, v => v <= 0.5)),
            new("seed: peak RSS <= 256 MiB", Format("{0:F0} MiB", seed?.PeakRssMiB), Met(seed?.PeakRssMiB, v => v <= 256)),
            new("never killed by the 512 MiB limit", killed.Length > 0 ? $"a process was killed or exited early ({string.Join(", ", killed)})" : "no OOM kill, no early exit", killed.Length == 0 && scenarios.Count > 0),
            // The production scenarios' goals (issue 13) are listed only when they ran: they are not in the default set.
            .. scenarios.Where(s => BenchSettings.ProductionScenarios.Contains(s.Name) && s.Target is not null).Select(Production),
            // The model rows' goals (issue 14), likewise only when they ran.
            .. ModelRows(scenarios),
        ];
    }

    private static IEnumerable<BenchTarget> ModelRows(IReadOnlyList<ScenarioResult> scenarios)
    {
        if (scenarios.FirstOrDefault(s => s.Name == "model-heavy") is { } batched)
        {
            yield return new BenchTarget($"model-heavy: {batched.Target}", Format("{0:F3}", batched.Ratio) + "; " + ScenarioJudgement.Outcome(batched), batched.TargetMet);
        }

        if (scenarios.FirstOrDefault(s => s.Name == "model-heavy-unbatched") is { } unbatched)
        {
            yield return new BenchTarget(unbatched.Target ?? "model-heavy (batched) >= 5x model-heavy-unbatched", Format("{0:F2}x", unbatched.BatchedToUnbatched) + "; unbatched " + ScenarioJudgement.Outcome(unbatched), unbatched.TargetMet);
        }
    }

    private static BenchTarget Production(ScenarioResult row)
    {
        string actual = row.Name switch
        {
            "mixed" => Format("{0:F3} of the seed row; ", row.Ratio) + ScenarioJudgement.Outcome(row),
            "rising" => string.Format(CultureInfo.InvariantCulture, "pick-up p99 {0:F1} ms, {1} duplicates; ", row.PickUp?.P99 * 1000, row.Duplicates) + ScenarioJudgement.Outcome(row),
            "blip-close" or "blip-stop" when ScenarioJudgement.DuplicateShare(row) is { } share =>
                string.Format(CultureInfo.InvariantCulture, "{0} duplicates = {1:P1} of {2} in flight, {3} lost; ", row.Duplicates, share, row.Blip!.InFlightAtBlip, row.Lost ?? row.Missing) + ScenarioJudgement.Outcome(row),
            "blip-close" or "blip-stop" => row.Note ?? ScenarioJudgement.Outcome(row),
            "cluster-kill" when row.Blip is { Happened: true, InFlightAtBlip: { } inFlight } =>
                string.Format(CultureInfo.InvariantCulture, "{0} duplicates, {1} in flight at the kill, {2} lost; ", row.Duplicates, inFlight, row.Lost ?? row.Missing) + ScenarioJudgement.Outcome(row),
            "cluster-kill" => row.Note ?? ScenarioJudgement.Outcome(row),
            _ => string.Format(CultureInfo.InvariantCulture, "{0} duplicates; ", row.Duplicates) + ScenarioJudgement.Outcome(row),
        };
        return new BenchTarget($"{row.Name}: {row.Target}", actual, row.TargetMet);
    }

    /// <summary>Null when not measured: C#'s lifted comparison would say "false", i.e. "missed".</summary>
    public static bool? Met(double? value, Func<double, bool> goal) => value is { } v && double.IsFinite(v) ? goal(v) : null;

    private static string Format(string template, double? value) =>
        value is { } v ? string.Format(CultureInfo.InvariantCulture, template, v) : "not measured";
}
