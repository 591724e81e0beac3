using QueueInference.Cli.Planning.Autoscaling;
using Xunit;

namespace QueueInference.Cli.Tests.Planning;

public sealed class KedaActivationLoopTests
{
    private static readonly KedaSettings ScaleToZero = new(20, 0, 30, 300, 0, 100, QueueMetricSource.ReadyOnly, false);

    [Fact]
    public void Poll_MessagesAtZeroReplicas_ActivatesOnePod()
    {
        // Arrange
        var loop = new KedaActivationLoop(ScaleToZero);

        // Act
        int? replicas = loop.Poll(now: 30, currentReplicas: 0, metricValue: 1);

        // Assert
        Assert.Equal(1, replicas);
    }

    [Fact]
    public void Poll_MetricNotAboveActivationValue_StaysAtZero()
    {
        // Arrange: activation needs more than 50 messages.
        var loop = new KedaActivationLoop(ScaleToZero with { ActivationValue = 50 });

        // Act
        int? replicas = loop.Poll(30, 0, 50);

        // Assert
        Assert.Null(replicas);
    }

    [Fact]
    public void Poll_InactiveWithinCooldown_KeepsPods()
    {
        // Arrange
        var loop = new KedaActivationLoop(ScaleToZero);
        loop.Poll(0, 3, 100);

        // Act
        int? replicas = loop.Poll(300, 3, 0);

        // Assert: exactly cooldownPeriod after the last active poll is not yet past it.
        Assert.Null(replicas);
    }

    [Fact]
    public void Poll_InactivePastCooldown_ScalesToZero()
    {
        // Arrange
        var loop = new KedaActivationLoop(ScaleToZero);
        loop.Poll(0, 3, 100);

        // Act
        int? replicas = loop.Poll(330, 3, 0);

        // Assert
        Assert.Equal(0, replicas);
    }

    [Fact]
    public void Poll_MinReplicaCountAboveZero_NeverScalesToZero()
    {
        // Arrange
        var loop = new KedaActivationLoop(ScaleToZero with { MinReplicaCount = 2 });
        loop.Poll(0, 3, 100);

        // Act
        int? replicas = loop.Poll(3600, 3, 0);

        // Assert
        Assert.Null(replicas);
    }
}
