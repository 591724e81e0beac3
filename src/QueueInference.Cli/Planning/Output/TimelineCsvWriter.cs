using System.Globalization;
using System.Text;
using QueueInference.Cli.Planning.Simulation;

namespace QueueInference.Cli.Planning.Output;

/// <summary>The timeline as CSV, one row per sample, for spreadsheets and for diffing two plans.</summary>
public static class TimelineCsvWriter
{
    public static string Format(IReadOnlyList<TimelineSample> timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        var csv = new StringBuilder("time_s,published_per_s,acked_per_s,ready,unacked,desired_pods,ready_pods,starting_pods,draining_pods,worst_latency_s\n");
        foreach (TimelineSample s in timeline)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{s.TimeSeconds:0.###},{s.ArrivalRate:0.###},{s.AckRate:0.###},{s.Ready:0.###},{s.Unacknowledged:0.###},{s.DesiredPods},{s.ReadyPods},{s.StartingPods},{s.DrainingPods},{(double.IsNaN(s.MaxLatencySeconds) ? string.Empty : s.MaxLatencySeconds.ToString("0.###", CultureInfo.InvariantCulture))}\n");
        }

        return csv.ToString();
    }
}
