using QueueInference.Cli.Planning.Autoscaling;
using Xunit;

namespace QueueInference.Cli.Tests.Planning;

public sealed class HpaReplicaCalculatorTests
{
    [Fact]
    public void DesiredReplicasForAverageValue_Target5Metric37_Returns8()
    {
        // Arrange: 37 messages, 5 per pod wanted, 2 pods now (ratio 3.7, far outside the tolerance).
        const double metric = 37, target = 5;

        // Act
        int desired = HpaReplicaCalculator.DesiredReplicasForAverageValue(metric, target, currentReplicas: 2, tolerance: 0.1);

        // Assert: ceil(37 / 5) = 8.
        Assert.Equal(8, desired);
    }

    [Fact]
    public void DesiredReplicasForAverageValue_RatioWithinTolerance_KeepsCurrentReplicas()
    {
        // Arrange: 8 pods x 5 = 40 expected, 43 seen: ratio 1.075, inside 0.1 although ceil(43 / 5) = 9.
        const double metric = 43, target = 5;

        // Act
        int desired = HpaReplicaCalculator.DesiredReplicasForAverageValue(metric, target, currentReplicas: 8, tolerance: 0.1);

        // Assert
        Assert.Equal(8, desired);
    }

    [Fact]
    public void DesiredReplicasForAverageValue_RatioJustOutsideTolerance_Rescales()
    {
        // Arrange: 10 pods x 5 = 50 expected, 56 seen: ratio 1.12.
        const double metric = 56, target = 5;

        // Act
        int desired = HpaReplicaCalculator.DesiredReplicasForAverageValue(metric, target, currentReplicas: 10, tolerance: 0.1);

        // Assert: ceil(11.2) = 12.
        Assert.Equal(12, desired);
    }

    [Fact]
    public void DesiredReplicasForAverageValue_RatioBelowToleranceBand_ScalesDown()
    {
        // Arrange: 10 pods x 5 = 50 expected, 21 seen: ratio 0.42.
        const double metric = 21, target = 5;

        // Act
        int desired = HpaReplicaCalculator.DesiredReplicasForAverageValue(metric, target, currentReplicas: 10, tolerance: 0.1);

        // Assert: ceil(4.2) = 5.
        Assert.Equal(5, desired);
    }

    [Fact]
    public void DesiredReplicasForAverageValue_EmptyQueue_ProposesZero()
    {
        // Act
        int desired = HpaReplicaCalculator.DesiredReplicasForAverageValue(0, 5, currentReplicas: 3, tolerance: 0.1);

        // Assert: the HPA's minReplicas clamp happens later, in the rate limiter.
        Assert.Equal(0, desired);
    }
}
