using QueueInference.Pipeline.Processing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace QueueInference.Pipeline.Tests.Processing;

public sealed class SettlementTests
{
    private sealed class Gate(Func<bool> live) : ISettlementGate
    {
        public ValueTask<bool> WaitUntilSettleableAsync(CancellationToken cancellationToken) => ValueTask.FromResult(live());
    }

    [Fact]
    public async Task PublishAsync_ConnectionLostUnderThePublish_PublishesAgain()
    {
        // Arrange
        int calls = 0;

        // Act
        bool published = await Settlement.PublishAsync(
            new Gate(() => true),
            0,
            (_, _) => ++calls == 1 ? throw new AlreadyClosedException(new ShutdownEventArgs(ShutdownInitiator.Peer, 320, "CONNECTION_FORCED")) : ValueTask.CompletedTask,
            CancellationToken.None);

        // Assert
        Assert.True(published);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task PublishAsync_GateGivesUp_PublishesNothing()
    {
        // Arrange
        int calls = 0;

        // Act
        bool published = await Settlement.PublishAsync(new Gate(() => false), 0, (_, _) => { calls++; return ValueTask.CompletedTask; }, CancellationToken.None);

        // Assert
        Assert.False(published);
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task PublishAsync_OtherFailure_Throws()
    {
        // Arrange, Act, Assert
        await Assert.ThrowsAsync<TimeoutException>(async () =>
            await Settlement.PublishAsync(new Gate(() => true), 0, (_, _) => throw new TimeoutException(), CancellationToken.None));
    }
}
