using System.Globalization;

namespace QueueInference.Cli.Benchmarking;

/// <summary>The benchmark goals, judged on one run's rows. A missing scenario leaves its goal unjudged (null).</summary>
public static class BenchTargets
{
    public static IReadOnlyList<BenchTarget> Evaluate(IReadOnlyList<ScenarioResult> scenarios)
    {
        ScenarioResult? seed = scenarios.FirstOrDefault(s => s.Name == "seed");
        ScenarioResult? cpu = scenarios.FirstOrDefault(s => s.Name == "cpu-bound");
        ScenarioResult? steady = scenarios.FirstOrDefault(s => s.Name == "steady");
        ScenarioResult? cold = scenarios.FirstOrDefault(s => s.Name == "cold-start");
        bool killed = scenarios.Any(s => s.OomKilled == true || s.ExitedEarly);
        return
        [
            new("seed: >= 0.85 of the echo ceiling", Format("{0:F3}", seed?.Ratio), Met(seed?.Ratio, v => v >= 0.85)),
            new("cpu-bound: >= 0.90 of the CPU limit", Format("{0:F3}", cpu?.Ratio), Met(cpu?.Ratio, v => v >= 0.90)),
            new("steady: pipeline overhead p99 <= 25 ms", Format("{0:F1} ms", steady?.Overhead?.P99 * 1000), Met(steady?.Overhead?.P99, v => v <= 0.025)),
            new("cold start: <= 500 ms to first reply", Format("{0:F0} ms", cold?.ColdStartSeconds * 1000), Met(cold?.ColdStartSeconds, v => v <= 0.5)),
            new("seed: peak RSS <= 256 MiB", Format("{0:F0} MiB", seed?.PeakRssMiB), Met(seed?.PeakRssMiB, v => v <= 256)),
            new("never killed by the 512 MiB limit", killed ? "a process was killed or exited early" : "no OOM kill, no early exit", !killed && scenarios.Count > 0),
        ];
    }

    /// <summary>Null when not measured: C#'s lifted comparison would say "false", i.e. "missed".</summary>
    public static bool? Met(double? value, Func<double, bool> goal) => value is { } v && double.IsFinite(v) ? goal(v) : null;

    private static string Format(string template, double? value) =>
        value is { } v ? string.Format(CultureInfo.InvariantCulture, template, v) : "not measured";
}
