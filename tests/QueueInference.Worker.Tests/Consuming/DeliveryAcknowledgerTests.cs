using QueueInference.Worker.Consuming;
using QueueInference.Worker.Tests.Support;

namespace QueueInference.Worker.Tests.Consuming;

public sealed class DeliveryAcknowledgerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AckAsync_InOrder_OneMultipleAckForTheRun()
    {
        // Arrange
        (var channel, RecordingChannel recorder) = RecordingChannel.Create();
        using var acknowledger = new DeliveryAcknowledger(channel, () => Task.CompletedTask);
        acknowledger.Delivered(1);
        acknowledger.Delivered(2);

        // Act
        Task first = acknowledger.AckAsync(1);
        Task second = acknowledger.AckAsync(2);
        await Task.WhenAll(first, second).WaitAsync(Patience);

        // Assert
        Assert.Equal([("BasicAckAsync", 2UL, true)], recorder.Sent);
    }

    [Fact]
    public async Task AckAsync_ChannelClosedBeforeTheBatchWentOut_FailsInsteadOfWaitingForever()
    {
        // Arrange: the session closes its channel within the batching interval.
        (var channel, RecordingChannel recorder) = RecordingChannel.Create();
        var acknowledger = new DeliveryAcknowledger(channel, () => Task.CompletedTask);
        acknowledger.Delivered(1);
        Task ack = acknowledger.AckAsync(1);

        // Act
        acknowledger.Dispose();

        // Assert: the delivery goes back to the broker with the channel; its ack must not hold the request forever.
        await Assert.ThrowsAsync<ObjectDisposedException>(() => ack.WaitAsync(Patience));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => acknowledger.AckAsync(2).WaitAsync(Patience));
        Assert.Empty(recorder.Sent);
    }
}
