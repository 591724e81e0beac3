using System.Globalization;
using System.Text;
using QueueInference.Cli.Planning.Recommendation;

namespace QueueInference.Cli.Planning.Output;

/// <summary>Every point the recommender tried, so that the choice can be checked by hand.</summary>
public static class CandidatesCsvWriter
{
    public static string Format(IEnumerable<RecommendationCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var csv = new StringBuilder("value,polling_interval_s,max_in_flight,meets_target,worst_latency_s,worst_latency_slower_pods_s,p99_latency_s,pod_seconds,minimum_pod_seconds,peak_pods,peak_backlog,drained\n");
        foreach (RecommendationCandidate c in candidates.OrderBy(c => c.MaxInFlight).ThenBy(c => c.PollingIntervalSeconds).ThenBy(c => c.Value))
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{c.Value},{c.PollingIntervalSeconds},{c.MaxInFlight},{c.MeetsTarget},{c.Summary.WorstLatencySeconds:0.##},{c.WorstLatencyWithSlowerPodsSeconds:0.##},{c.Summary.P99LatencySeconds:0.##},{c.Summary.PodSeconds:0},{c.Summary.MinimumPodSeconds:0},{c.Summary.PeakPods},{c.Summary.PeakBacklog:0},{c.Summary.Drained}\n");
        }

        return csv.ToString();
    }
}
