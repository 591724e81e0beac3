using QueueInference.Cli.Planning.Profiles;
using QueueInference.Cli.Planning.Recommendation;
using QueueInference.Cli.Planning.Simulation;
using Xunit;

namespace QueueInference.Cli.Tests.Planning;

public sealed class ScaleRecommenderTests
{
    private static readonly ScaleScenario Baseline = SimulationScenarios.Autoscaled(
        new StepProfile(0, 500, 30, 330), new PodCapacity(100, 300, 300, 2, 10), SimulationScenarios.ReadyMetric, 1200);

    [Fact]
    public void Search_ReachableTarget_PicksFewestPodSecondsAmongThoseMeetingIt()
    {
        // Act
        ScaleRecommendation recommendation = ScaleRecommender.Search(Baseline, 120, [5, 50, 500, 5000], [15, 30], [300], prefetchFollowsInFlight: true, uncappedMaxReplicas: 1000);

        // Assert
        Assert.True(recommendation.TargetMet);
        Assert.True(recommendation.Best.MeetsTarget);
        Assert.Equal(8, recommendation.Evaluated.Count);
        double fewest = recommendation.Evaluated.Where(c => c.MeetsTarget).Min(c => c.Summary.PodSeconds);
        Assert.Equal(fewest, recommendation.Best.Summary.PodSeconds, precision: 3);
        Assert.All(recommendation.Evaluated.Where(c => !c.MeetsTarget), c => Assert.True(!c.Summary.Drained || c.Summary.WorstLatencySeconds > 120));
    }

    [Fact]
    public void Search_TargetShorterThanIoTime_ReportsTargetMissed()
    {
        // Act: no message can be acked faster than its 2 s of I/O.
        ScaleRecommendation recommendation = ScaleRecommender.Search(Baseline, 1, [5, 50], [30], [300], true, 1000);

        // Assert
        Assert.False(recommendation.TargetMet);
        Assert.DoesNotContain(recommendation.Evaluated, c => c.MeetsTarget);
    }

    [Fact]
    public void Search_MaxReplicaCount_IsPeakPlusTwentyPercentRoundedUp()
    {
        // Act
        ScaleRecommendation recommendation = ScaleRecommender.Search(Baseline, 120, [50], [30], [300], true, 1000);

        // Assert
        Assert.Equal((int)Math.Ceiling(recommendation.Best.Summary.PeakPods * 1.2), recommendation.MaxReplicaCount);
    }

    [Fact]
    public void ValueLadder_OneToFiveHundred_UsesEightStepsPerDecade()
    {
        // Act
        IReadOnlyList<double> ladder = ScaleRecommender.ValueLadder(1, 500);

        // Assert
        Assert.Equal([1, 1.5, 2, 2.5, 3, 4, 5, 7, 10, 15, 20, 25, 30, 40, 50, 70, 100, 150, 200, 250, 300, 400, 500], ladder);
    }

    [Fact]
    public void Search_CapacityMargin_RejectsPointsThatOnlyMeetTheTargetAtFullSpeed()
    {
        // Arrange: the same grid with and without a 30 % margin.
        double[] values = [5, 50, 500, 5000];

        // Act
        ScaleRecommendation exact = ScaleRecommender.Search(Baseline, 60, values, [15, 30], [300], true, 1000);
        ScaleRecommendation robust = ScaleRecommender.Search(Baseline, 60, values, [15, 30], [300], true, 1000, capacityMargin: 0.3);

        // Assert: every robust pick was checked with slower pods and met the target there too, so fewer points pass.
        Assert.All(robust.Evaluated.Where(c => c.MeetsTarget), c => Assert.InRange(c.WorstLatencyWithSlowerPodsSeconds!.Value, 0, 60));
        Assert.True(robust.Evaluated.Count(c => c.MeetsTarget) < exact.Evaluated.Count(c => c.MeetsTarget));
        Assert.All(exact.Evaluated, c => Assert.Null(c.WorstLatencyWithSlowerPodsSeconds));
    }
}
