using System.Globalization;
using System.Text;
using System.Text.Json;

namespace QueueInference.Cli.LoadTesting;

/// <summary>Writes a run's report as JSON, Markdown, a per-second CSV and a PNG chart; prints its summary.</summary>
public static class LoadReportWriter
{
    public static async Task<IReadOnlyList<string>> WriteFilesAsync(LoadReport report, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        string stem = Path.Combine(directory, $"qi-load-{report.Summary.RunId}");
        string json = stem + ".json";
        string markdown = stem + ".md";
        string csv = stem + ".csv";
        string png = stem + ".png";
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, ReportJson.Options), cancellationToken);
        await File.WriteAllTextAsync(markdown, ToMarkdown(report), cancellationToken);
        await File.WriteAllTextAsync(csv, ToCsv(report.Summary.Timeline), cancellationToken);
        LoadChart.Save(report.Summary, png);
        return [json, markdown, csv, png];
    }

    public static void PrintSummary(LoadReport report, RunConsole console)
    {
        LoadSummary s = report.Summary;
        console.Line("summary: sent={0} replied={1} missing={2} duplicates={3} late={4} unknown={5} publish-failures={6}",
            s.Sent, s.Replied, s.Missing, s.Duplicates, s.Late, s.Unknown, s.PublishFailures);
        console.Line("rates: send {0:F1} msg/s over {1:F2} s; reply {2:F1} msg/s; total time (last response - first send) {3:F3} s",
            s.SendRatePerSecond, s.SendSeconds, s.ReplyRatePerSecond, s.TotalTimeSeconds);
        console.Line("latency (ms)      min      p50      p75      p95      p99      max     mean");
        PrintLatency(console, "pick-up   ", s.PickUp);
        PrintLatency(console, "processing", s.Processing);
        PrintLatency(console, "total     ", s.Total);
        PrintLatency(console, "round-trip", s.RoundTrip);
        foreach (ThresholdResult threshold in report.Thresholds)
        {
            console.Line("threshold {0}: {1} (actual {2})", threshold.Condition, threshold.Failed ? "FAILED" : "ok", threshold.ActualText);
        }
    }

    private static void PrintLatency(RunConsole console, string name, LatencyDistribution d) =>
        console.Line("{0} {1,8:F1} {2,8:F1} {3,8:F1} {4,8:F1} {5,8:F1} {6,8:F1} {7,8:F1}",
            name, d.Min * 1000, d.P50 * 1000, d.P75 * 1000, d.P95 * 1000, d.P99 * 1000, d.Max * 1000, d.Mean * 1000);

    public static string ToMarkdown(LoadReport report)
    {
        LoadSummary s = report.Summary;
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine(c, $"# qi load run {s.RunId}");
        md.AppendLine();
        md.AppendLine(c, $"Started {report.StartedAt:u} against `{report.Broker}`, queue `{s.Queue}`, mode {report.Mode}, values per request {report.Values}, {report.Connections} connection(s), at most {report.MaxOutstandingConfirms} unconfirmed.");
        md.AppendLine();
        md.AppendLine("| sent | replied | missing | duplicates | late | unknown | publish failures |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        md.AppendLine(c, $"| {s.Sent} | {s.Replied} | {s.Missing} | {s.Duplicates} | {s.Late} | {s.Unknown} | {s.PublishFailures} |");
        md.AppendLine();
        md.AppendLine("| send rate (msg/s) | reply rate (msg/s) | total time (s) | max schedule lag (s) |");
        md.AppendLine("|---:|---:|---:|---:|");
        md.AppendLine(c, $"| {s.SendRatePerSecond:F1} | {s.ReplyRatePerSecond:F1} | {s.TotalTimeSeconds:F3} | {report.MaxScheduleLagSeconds:F3} |");
        md.AppendLine();
        md.AppendLine("Latencies in milliseconds. Pick-up = pick_up − send; processing = response − pick_up; total = response − send (the seed's definitions); round-trip = reply received − send.");
        md.AppendLine();
        md.AppendLine("| latency (ms) | min | p50 | p75 | p95 | p99 | max | mean |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        AppendLatency(md, "pick-up", s.PickUp);
        AppendLatency(md, "processing", s.Processing);
        AppendLatency(md, "total", s.Total);
        AppendLatency(md, "round-trip", s.RoundTrip);
        if (report.Thresholds.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("| threshold | actual | result |");
            md.AppendLine("|---|---:|---|");
            foreach (ThresholdResult t in report.Thresholds)
            {
                md.AppendLine(c, $"| `{t.Condition}` | {t.ActualText} | {(t.Failed ? "FAILED" : "ok")} |");
            }
        }

        return md.ToString();
    }

    private static void AppendLatency(StringBuilder md, string name, LatencyDistribution d) =>
        md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {d.Min * 1000:F1} | {d.P50 * 1000:F1} | {d.P75 * 1000:F1} | {d.P95 * 1000:F1} | {d.P99 * 1000:F1} | {d.Max * 1000:F1} | {d.Mean * 1000:F1} |");

    public static string ToCsv(IReadOnlyList<TimelinePoint> timeline)
    {
        var csv = new StringBuilder("second,sent,replied,total_p50_ms,total_p95_ms,total_p99_ms\n");
        foreach (TimelinePoint p in timeline)
        {
            csv.AppendLine(CultureInfo.InvariantCulture, $"{p.Second},{p.Sent},{p.Replied},{Ms(p.TotalP50)},{Ms(p.TotalP95)},{Ms(p.TotalP99)}");
        }

        return csv.ToString();
    }

    private static string Ms(double seconds) => double.IsNaN(seconds) ? string.Empty : (seconds * 1000).ToString("F1", CultureInfo.InvariantCulture);
}
