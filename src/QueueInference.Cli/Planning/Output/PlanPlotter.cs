using QueueInference.Cli.Planning.Simulation;
using ScottPlot;

namespace QueueInference.Cli.Planning.Output;

/// <summary>
/// Draws a run as four stacked panels sharing the time axis: arrival and ack rate, backlog (ready and
/// unacknowledged), desired and ready pods, and worst publish-to-ack latency per second; several runs go
/// side by side in columns.
/// </summary>
public static class PlanPlotter
{
    private const int PanelCount = 4;

    /// <param name="runs">One column each, with its heading.</param>
    /// <param name="targetLatencySeconds">Drawn as a dashed line on the latency panel when given.</param>
    public static void SavePng(string path, IReadOnlyList<(string Heading, SimulationResult Result)> runs, double? targetLatencySeconds)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var multiplot = new Multiplot();
        multiplot.AddPlots(PanelCount * runs.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(PanelCount, runs.Count);
        for (int column = 0; column < runs.Count; column++)
        {
            (string heading, SimulationResult result) = runs[column];
            Plot[] panels = [.. Enumerable.Range(0, PanelCount).Select(row => multiplot.GetPlot((row * runs.Count) + column))];
            DrawRun(panels, heading, result, targetLatencySeconds);
            multiplot.SharedAxes.ShareX(panels);
        }

        multiplot.SavePng(path, 900 * runs.Count, 1100);
    }

    private static void DrawRun(Plot[] panels, string heading, SimulationResult result, double? targetLatencySeconds)
    {
        IReadOnlyList<TimelineSample> timeline = result.Timeline;
        double[] minutes = [.. timeline.Select(s => s.TimeSeconds / 60.0)];

        Plot rates = panels[0];
        AddLine(rates, minutes, [.. timeline.Select(s => s.ArrivalRate)], "published msg/s", Colors.Gray);
        // Pods started together finish their I/O together, so per-second acks come in waves one I/O time apart;
        // averaging over a whole number of those waves shows the rate itself.
        int window = Math.Max(10, 10 * (int)Math.Ceiling(result.Scenario.Capacity.IoLatencySeconds));
        AddLine(rates, minutes, MovingAverage([.. timeline.Select(s => s.AckRate)], window), $"acked msg/s ({window} s average)", Colors.Green);
        rates.Title(heading);
        rates.YLabel("msg/s");

        Plot backlog = panels[1];
        AddLine(backlog, minutes, [.. timeline.Select(s => s.Ready)], "ready (AMQP count)", Colors.Orange);
        AddLine(backlog, minutes, [.. timeline.Select(s => s.Ready + s.Unacknowledged)], "ready + unacked", Colors.Red);
        backlog.YLabel("messages");

        Plot pods = panels[2];
        // Two clearly different lines: where they part, pods are still starting (or draining).
        AddLine(pods, minutes, [.. timeline.Select(s => (double)s.ReadyPods)], "ready pods", Colors.Blue);
        AddLine(pods, minutes, [.. timeline.Select(s => (double)s.DesiredPods)], "desired pods (HPA)", Colors.DarkOrange, LinePattern.Dashed);
        pods.YLabel("pods");

        Plot latency = panels[3];
        TimelineSample[] acked = [.. timeline.Where(s => !double.IsNaN(s.MaxLatencySeconds))];
        if (acked.Length > 0)
        {
            AddLine(latency, [.. acked.Select(s => s.TimeSeconds / 60.0)], [.. acked.Select(s => s.MaxLatencySeconds)], "worst latency of msgs acked that second", Colors.Purple);
        }

        if (targetLatencySeconds is { } target)
        {
            var line = latency.Add.HorizontalLine(target, 1, Colors.Black, LinePattern.Dashed);
            line.LegendText = "target";
        }

        latency.YLabel("latency (s)");
        latency.XLabel("time (min)");

        double end = PlottedMinutes(result);
        foreach (Plot panel in panels)
        {
            panel.ShowLegend(Alignment.UpperRight);
            panel.Axes.Margins(bottom: 0);
            panel.Axes.SetLimitsX(0, end);
        }
    }

    /// <summary>
    /// Up to a little after the last moment anything happens (load, backlog or pods), so that a run which has
    /// scaled to zero long before the simulated time ends is not drawn over an empty tail.
    /// </summary>
    private static double PlottedMinutes(SimulationResult result)
    {
        double duration = result.Scenario.Options.DurationSeconds;
        TimelineSample[] active = [.. result.Timeline.Where(s => s.ArrivalRate > 0 || s.Ready + s.Unacknowledged > 0 || s.DesiredPods > 0 || s.ReadyPods > 0)];
        if (active.Length == 0)
        {
            return duration / 60.0;
        }

        double last = active[^1].TimeSeconds;
        return Math.Min(duration, last + Math.Max(60, 0.05 * last)) / 60.0;
    }

    private static double[] MovingAverage(double[] values, int window)
    {
        var averaged = new double[values.Length];
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += values[i];
            if (i >= window)
            {
                sum -= values[i - window];
            }

            averaged[i] = sum / Math.Min(i + 1, window);
        }

        return averaged;
    }

    private static void AddLine(Plot plot, double[] xs, double[] ys, string label, Color color, LinePattern? pattern = null)
    {
        if (xs.Length == 0)
        {
            return;
        }

        var line = plot.Add.ScatterLine(xs, ys, color);
        line.LineWidth = 2;
        line.LegendText = label;
        line.LinePattern = pattern ?? LinePattern.Solid;
    }
}
