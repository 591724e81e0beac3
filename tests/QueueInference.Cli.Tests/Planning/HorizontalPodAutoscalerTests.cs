using QueueInference.Cli.Planning.Autoscaling;
using Xunit;

namespace QueueInference.Cli.Tests.Planning;

public sealed class HorizontalPodAutoscalerTests
{
    [Fact]
    public void Reconcile_Target5Metric37From4Pods_ScalesTo8()
    {
        // Arrange
        var hpa = new HorizontalPodAutoscaler(HpaSettings.KubernetesDefault);

        // Act
        int desired = hpa.Reconcile(now: 0, currentReplicas: 4, metricValue: 37, targetAverageValue: 5, minReplicas: 1, maxReplicas: 100);

        // Assert
        Assert.Equal(8, desired);
    }

    [Fact]
    public void Reconcile_Target5Metric37From1Pod_LimitedByScaleUpRate()
    {
        // Arrange
        var hpa = new HorizontalPodAutoscaler(HpaSettings.KubernetesDefault);

        // Act: two syncs 15 s apart with the same backlog.
        int first = hpa.Reconcile(0, 1, 37, 5, 1, 100);
        int second = hpa.Reconcile(15, first, 37, 5, 1, 100);

        // Assert: 1 -> 5 (4 pods per 15 s beats 100 %), then 5 -> 8 (wanted 8, allowed 10).
        Assert.Equal(5, first);
        Assert.Equal(8, second);
    }

    [Fact]
    public void Reconcile_SecondSyncInsideSamePeriod_CannotGrowAgain()
    {
        // Arrange: with a 5 s sync the 15 s period still holds the first scale-up.
        var hpa = new HorizontalPodAutoscaler(HpaSettings.KubernetesDefault with { SyncPeriodSeconds = 5 });
        int first = hpa.Reconcile(0, 1, 1000, 5, 1, 100);

        // Act
        int second = hpa.Reconcile(5, first, 1000, 5, 1, 100);

        // Assert
        Assert.Equal(5, first);
        Assert.Equal(5, second);
    }

    [Fact]
    public void Reconcile_DesiredAboveMax_ClampsToMax()
    {
        // Arrange
        var hpa = new HorizontalPodAutoscaler(HpaSettings.KubernetesDefault);

        // Act
        int desired = hpa.Reconcile(0, 4, 37, 5, minReplicas: 1, maxReplicas: 6);

        // Assert
        Assert.Equal(6, desired);
    }

    [Fact]
    public void Reconcile_CurrentAboveMax_ComesDownToMaxWhateverTheMetric()
    {
        // Arrange
        var hpa = new HorizontalPodAutoscaler(HpaSettings.KubernetesDefault);

        // Act
        int desired = hpa.Reconcile(0, 12, 10_000, 5, minReplicas: 1, maxReplicas: 10);

        // Assert
        Assert.Equal(10, desired);
    }

    [Fact]
    public void Reconcile_EmptyQueueAfterStabilisationWindow_ClampsToMinReplicas()
    {
        // Arrange: a high recommendation at t = 0, then an empty queue.
        var hpa = new HorizontalPodAutoscaler(HpaSettings.KubernetesDefault);
        hpa.Reconcile(0, 8, 40, 5, 2, 100);

        // Act
        int during = hpa.Reconcile(150, 8, 0, 5, 2, 100);
        int after = hpa.Reconcile(315, 8, 0, 5, 2, 100);

        // Assert: held at 8 while the 300 s window remembers it, then down to minReplicas 2, not 0.
        Assert.Equal(8, during);
        Assert.Equal(2, after);
    }

    [Fact]
    public void Reconcile_ZeroReplicas_LeavesActivationToKeda()
    {
        // Arrange
        var hpa = new HorizontalPodAutoscaler(HpaSettings.KubernetesDefault);

        // Act
        int desired = hpa.Reconcile(0, 0, 5_000, 5, 1, 100);

        // Assert
        Assert.Equal(0, desired);
    }

    [Fact]
    public void Reconcile_ScaleUpStabilisationWindow_UsesLowestRecentRecommendation()
    {
        // Arrange: a 60 s scale-up window; a low recommendation 30 s ago caps the next one.
        ScalingRules up = HpaBehavior.KubernetesDefault.ScaleUp with { StabilizationWindowSeconds = 60 };
        var hpa = new HorizontalPodAutoscaler(HpaSettings.KubernetesDefault with { Behavior = HpaBehavior.KubernetesDefault with { ScaleUp = up } });
        hpa.Reconcile(0, 4, 20, 5, 1, 100);

        // Act: the backlog jumps to 80 (16 pods wanted) at 30 s.
        int desired = hpa.Reconcile(30, 4, 80, 5, 1, 100);

        // Assert: min(4 from t = 0, 16) = 4.
        Assert.Equal(4, desired);
    }

    [Fact]
    public void Reconcile_NoBehaviorFromOnePod_DoublesAtMostWithFloorOfFour()
    {
        // Arrange: an HPA without behavior (KEDA's default) runs max(2 x current, 4) per sync.
        var hpa = new HorizontalPodAutoscaler(HpaSettings.KubernetesDefault with { Behavior = null });

        // Act
        int first = hpa.Reconcile(0, 1, 1000, 5, 1, 100);
        int second = hpa.Reconcile(15, first, 1000, 5, 1, 100);

        // Assert: 1 -> 4 (not 5 as with the default behavior), then 4 -> 8.
        Assert.Equal(4, first);
        Assert.Equal(8, second);
    }

    [Fact]
    public void Reconcile_NoBehaviorEmptyQueue_HoldsForTheDownscaleWindowThenDropsToMin()
    {
        // Arrange
        var hpa = new HorizontalPodAutoscaler(HpaSettings.KubernetesDefault with { Behavior = null });
        hpa.Reconcile(0, 6, 30, 5, 1, 100);

        // Act
        int during = hpa.Reconcile(290, 6, 0, 5, 1, 100);
        int after = hpa.Reconcile(305, 6, 0, 5, 1, 100);

        // Assert: no rate limit on the way down once the window has passed.
        Assert.Equal(6, during);
        Assert.Equal(1, after);
    }
}
