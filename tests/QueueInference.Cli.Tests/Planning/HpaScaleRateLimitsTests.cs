using QueueInference.Cli.Planning.Autoscaling;
using Xunit;

namespace QueueInference.Cli.Tests.Planning;

public sealed class HpaScaleRateLimitsTests
{
    private static readonly ScalingRules DefaultUp = HpaBehavior.KubernetesDefault.ScaleUp;
    private static readonly ScalingRules DefaultDown = HpaBehavior.KubernetesDefault.ScaleDown;

    [Theory]
    [InlineData(1, 5)] // max(1 + 4, 2 x 1)
    [InlineData(2, 6)] // max(2 + 4, 2 x 2)
    [InlineData(4, 8)] // both policies agree
    [InlineData(10, 20)] // max(10 + 4, 2 x 10)
    public void ScaleUpLimit_DefaultRulesNoRecentEvents_AllowsMaxOfFourPodsAndDoubling(int current, int expected)
    {
        // Act
        int limit = HpaScaleRateLimits.ScaleUpLimit(current, [], [], DefaultUp, now: 100);

        // Assert
        Assert.Equal(expected, limit);
    }

    [Fact]
    public void ScaleUpLimit_ScaleUpInsidePeriod_CountsFromPeriodStart()
    {
        // Arrange: 5 -> 10 happened 10 s ago, inside the 15 s period, so the period started at 5 pods.
        ScaleEvent[] ups = [new(90, 5)];

        // Act
        int limit = HpaScaleRateLimits.ScaleUpLimit(10, ups, [], DefaultUp, now: 100);

        // Assert: max(5 + 4, 2 x 5) = 10, no further growth in this period.
        Assert.Equal(10, limit);
    }

    [Fact]
    public void ScaleUpLimit_ScaleUpOlderThanPeriod_IsForgotten()
    {
        // Arrange: exactly 15 s ago is outside the period (events must be strictly newer than now - period).
        ScaleEvent[] ups = [new(85, 5)];

        // Act
        int limit = HpaScaleRateLimits.ScaleUpLimit(10, ups, [], DefaultUp, now: 100);

        // Assert
        Assert.Equal(20, limit);
    }

    [Fact]
    public void ScaleUpLimit_MinSelection_TakesTheSmallerPolicy()
    {
        // Arrange
        ScalingRules rules = DefaultUp with { Select = PolicySelection.Min };

        // Act
        int limit = HpaScaleRateLimits.ScaleUpLimit(10, [], [], rules, now: 100);

        // Assert: min(10 + 4, 2 x 10).
        Assert.Equal(14, limit);
    }

    [Fact]
    public void ScaleUpLimit_Disabled_KeepsCurrent()
    {
        // Arrange
        ScalingRules rules = DefaultUp with { Select = PolicySelection.Disabled };

        // Act
        int limit = HpaScaleRateLimits.ScaleUpLimit(7, [], [], rules, now: 100);

        // Assert
        Assert.Equal(7, limit);
    }

    [Fact]
    public void ScaleDownLimit_DefaultRules_AllowsGoingAllTheWay()
    {
        // Act
        int limit = HpaScaleRateLimits.ScaleDownLimit(12, [], [], DefaultDown, now: 100);

        // Assert: 100 % per 15 s.
        Assert.Equal(0, limit);
    }

    [Fact]
    public void ScaleDownLimit_TwoPodsPerMinuteAfterRecentRemoval_HoldsAtPeriodStartMinusTwo()
    {
        // Arrange: at most 2 pods per 60 s; 1 pod was removed 30 s ago (10 -> 9).
        var rules = new ScalingRules(0, PolicySelection.Max, [new(ScalingPolicyType.Pods, 2, 60)]);
        ScaleEvent[] downs = [new(70, 1)];

        // Act
        int limit = HpaScaleRateLimits.ScaleDownLimit(9, [], downs, rules, now: 100);

        // Assert: the period started at 10 pods, so the floor is 8.
        Assert.Equal(8, limit);
    }
}
