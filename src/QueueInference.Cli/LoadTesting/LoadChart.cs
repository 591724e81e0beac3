using ScottPlot;

namespace QueueInference.Cli.LoadTesting;

/// <summary>
/// Draws a run's timeline: send and reply rates (left axis, msg/s) and total-latency percentiles
/// (right axis, ms) per second, so a stall, a backlog or a latency creep is visible at a glance.
/// </summary>
public static class LoadChart
{
    public static void Save(LoadSummary summary, string path)
    {
        IReadOnlyList<TimelinePoint> timeline = summary.Timeline;
        var plot = new Plot();
        plot.Title($"qi load {summary.RunId}: {summary.Replied} replies of {summary.Sent} sent, queue {summary.Queue}");
        plot.Axes.Bottom.Label.Text = "seconds since first send";
        plot.Axes.Left.Label.Text = "messages per second";
        plot.Axes.Right.Label.Text = "total latency (ms)";

        AddSeries(plot, timeline, p => p.Sent, "sent/s", Colors.Gray, rightAxis: false);
        AddSeries(plot, timeline, p => p.Replied, "replies/s", Colors.Blue, rightAxis: false);
        AddSeries(plot, timeline, p => p.TotalP50 * 1000, "p50 latency", Colors.Green, rightAxis: true);
        AddSeries(plot, timeline, p => p.TotalP95 * 1000, "p95 latency", Colors.Orange, rightAxis: true);
        AddSeries(plot, timeline, p => p.TotalP99 * 1000, "p99 latency", Colors.Red, rightAxis: true);

        // Rates and latencies read from zero, so a dip is not mistaken for a collapse.
        double maxRate = timeline.Select(p => (double)Math.Max(p.Sent, p.Replied)).DefaultIfEmpty(1).Max();
        double maxLatency = timeline.Select(p => p.TotalP99 * 1000).Where(double.IsFinite).DefaultIfEmpty(1).Max();
        plot.Axes.SetLimitsY(0, Math.Max(1, maxRate) * 1.1, plot.Axes.Left);
        plot.Axes.SetLimitsY(0, Math.Max(1, maxLatency) * 1.1, plot.Axes.Right);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1200, 600);
    }

    private static void AddSeries(Plot plot, IReadOnlyList<TimelinePoint> timeline, Func<TimelinePoint, double> value, string label, Color color, bool rightAxis)
    {
        // Seconds without replies have no latency: leave them out rather than draw them as zero.
        TimelinePoint[] points = [.. timeline.Where(p => double.IsFinite(value(p)))];
        if (points.Length == 0)
        {
            return;
        }

        var scatter = plot.Add.Scatter(points.Select(p => (double)p.Second).ToArray(), points.Select(value).ToArray(), color);
        scatter.LegendText = label;
        scatter.MarkerSize = points.Length > 60 ? 0 : 4;
        scatter.LineWidth = 2;
        if (rightAxis)
        {
            scatter.Axes.YAxis = plot.Axes.Right;
        }
    }
}
