using QueueInference.Cli.Planning.Simulation;

namespace QueueInference.Cli.Planning.Recommendation;

/// <summary>
/// Grid search over the trigger's <c>value</c>, <c>pollingInterval</c> and (worker) the in-flight limit:
/// every point is simulated; among those whose worst publish-to-ack latency meets the target and that drain
/// the queue, the one with the fewest pod-seconds wins (ties: lower latency, then the longer polling interval,
/// which costs the broker less, then the lower value and in-flight limit). With a capacity margin a point must also meet the target when every pod is
/// that much slower than measured, so that the winner is not one that only just fits the measured figure.
/// </summary>
public static class ScaleRecommender
{
    /// <summary>Room above the peak the design load needed, so that a somewhat bigger burst is not capped.</summary>
    private const double MaxReplicaHeadroom = 1.2;

    /// <param name="uncappedMaxReplicas">The cap used while searching, high enough not to bind.</param>
    public static ScaleRecommendation Search(
        ScaleScenario baseline,
        double targetWorstLatencySeconds,
        IReadOnlyList<double> values,
        IReadOnlyList<double> pollingIntervals,
        IReadOnlyList<int> maxInFlights,
        bool prefetchFollowsInFlight,
        int uncappedMaxReplicas,
        double capacityMargin = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityMargin);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(capacityMargin, 1);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(pollingIntervals);
        ArgumentNullException.ThrowIfNull(maxInFlights);
        var grid = (from inFlight in maxInFlights
                    from polling in pollingIntervals
                    from value in values
                    select (value, polling, inFlight)).ToArray();
        var evaluated = new RecommendationCandidate[grid.Length];
        Parallel.For(0, grid.Length, i =>
        {
            (double value, double polling, int inFlight) = grid[i];
            ScaleScenario scenario = baseline with
            {
                Capacity = baseline.Capacity with
                {
                    Concurrency = inFlight,
                    Prefetch = prefetchFollowsInFlight ? inFlight : baseline.Capacity.Prefetch,
                },
                Keda = baseline.Keda with { TargetValue = value, PollingIntervalSeconds = polling, MaxReplicaCount = uncappedMaxReplicas },
            };
            SimulationSummary summary = QueueSimulator.Run(scenario).Summary;
            bool meets = Meets(summary, targetWorstLatencySeconds);
            double? slowerWorst = null;
            if (meets && capacityMargin > 0)
            {
                ScaleScenario slower = scenario with
                {
                    Capacity = scenario.Capacity with { CpuMessagesPerSecond = scenario.Capacity.CpuMessagesPerSecond * (1 - capacityMargin) },
                };
                SimulationSummary slowerSummary = QueueSimulator.Run(slower).Summary;
                slowerWorst = slowerSummary.WorstLatencySeconds;
                meets = Meets(slowerSummary, targetWorstLatencySeconds);
            }

            evaluated[i] = new RecommendationCandidate(value, polling, inFlight, summary, meets, slowerWorst);
        });

        RecommendationCandidate[] meeting = [.. evaluated.Where(c => c.MeetsTarget)];
        RecommendationCandidate best = meeting.Length > 0
            ? meeting.OrderBy(c => Math.Round(c.Summary.PodSeconds, 3))
                .ThenBy(c => c.Summary.WorstLatencySeconds)
                .ThenByDescending(c => c.PollingIntervalSeconds)
                .ThenBy(c => c.Value)
                // Fewer messages held in a pod: less memory, shorter drains on scale-in.
                .ThenBy(c => c.MaxInFlight)
                .First()
            : evaluated.OrderBy(c => c.Summary.Drained ? 0 : 1)
                .ThenBy(c => c.Summary.WorstLatencySeconds)
                .ThenBy(c => c.Summary.PodSeconds)
                .First();
        int maxReplicas = Math.Max(1, (int)Math.Ceiling(best.Summary.PeakPods * MaxReplicaHeadroom));
        return new ScaleRecommendation(best, meeting.Length > 0, targetWorstLatencySeconds, capacityMargin, maxReplicas, evaluated);
    }

    private static bool Meets(SimulationSummary summary, double targetWorstLatencySeconds) =>
        summary.Drained && summary.WorstLatencySeconds <= targetWorstLatencySeconds;

    /// <summary>1, 1.5, 2, 2.5, 3, 4, 5, 7 times each power of ten from <paramref name="smallest"/> up to <paramref name="largest"/>.</summary>
    public static IReadOnlyList<double> ValueLadder(double smallest, double largest)
    {
        // Steps of 25-50 %: value sets the steady latency (value / one pod's throughput), so coarser steps waste the target.
        double[] steps = [1, 1.5, 2, 2.5, 3, 4, 5, 7];
        var ladder = new List<double>();
        for (double decade = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(smallest, 1)))); decade <= largest; decade *= 10)
        {
            foreach (double step in steps)
            {
                double value = step * decade;
                if (value >= smallest && value <= largest)
                {
                    ladder.Add(value);
                }
            }
        }

        return ladder;
    }
}
