using Microsoft.Extensions.Time.Testing;
using QueueInference.Pipeline.Stages;

namespace QueueInference.Pipeline.Tests.Stages;

public sealed class SharedDelayTimerTests
{
    [Fact]
    public async Task WaitAsync_ManyWaitsOfDifferentDelays_EachEndsAtItsDueTimeAndNotBefore()
    {
        // Arrange
        var clock = new FakeTimeProvider();
        using var timer = new SharedDelayTimer(clock);
        int[] delaysMs = [300, 100, 200, 100, 50, 300];
        DateTimeOffset start = clock.GetUtcNow();
        var ended = new DateTimeOffset?[delaysMs.Length];
        Task[] waits = [.. delaysMs.Select((ms, i) => Record(timer.WaitAsync(TimeSpan.FromMilliseconds(ms), CancellationToken.None), () => ended[i] = clock.GetUtcNow()))];

        // Act
        for (int step = 0; step < 40; step++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Yield();
        }

        await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(5));

        // Assert
        for (int i = 0; i < delaysMs.Length; i++)
        {
            TimeSpan waited = ended[i]!.Value - start;
            Assert.InRange(waited.TotalMilliseconds, delaysMs[i], delaysMs[i] + 10);
        }
    }

    [Fact]
    public async Task WaitAsync_OneFiring_EndsEveryWaitThatIsDue()
    {
        // Arrange
        var clock = new FakeTimeProvider();
        using var timer = new SharedDelayTimer(clock);
        ValueTask[] waits = [.. Enumerable.Range(0, 1000).Select(_ => timer.WaitAsync(TimeSpan.FromSeconds(3), CancellationToken.None))];

        // Act
        clock.Advance(TimeSpan.FromSeconds(3));

        // Assert
        Assert.All(waits, wait => Assert.True(wait.IsCompletedSuccessfully));
        foreach (ValueTask wait in waits)
        {
            await wait;
        }
    }

    [Fact]
    public async Task WaitAsync_Cancelled_ThrowsAtOnceAndTheOthersStillEndOnTime()
    {
        // Arrange
        var clock = new FakeTimeProvider();
        using var timer = new SharedDelayTimer(clock);
        using var cancel = new CancellationTokenSource();
        Task cancelled = timer.WaitAsync(TimeSpan.FromSeconds(3), cancel.Token).AsTask();
        Task kept = timer.WaitAsync(TimeSpan.FromSeconds(3), CancellationToken.None).AsTask();

        // Act
        await cancel.CancelAsync();
        OperationCanceledException thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(TimeSpan.FromSeconds(5)));
        bool keptEndedEarly = kept.IsCompleted;
        clock.Advance(TimeSpan.FromSeconds(3));
        await kept.WaitAsync(TimeSpan.FromSeconds(5));

        // Assert
        Assert.Equal(cancel.Token, thrown.CancellationToken);
        Assert.False(keptEndedEarly);
    }

    [Fact]
    public async Task WaitAsync_WaitReusedAfterACancellation_TheOldEntryDoesNotEndTheNewWait()
    {
        // Arrange: a cancelled wait leaves its entry queued; its object goes back to the pool and is reused.
        var clock = new FakeTimeProvider();
        using var timer = new SharedDelayTimer(clock);
        using var cancel = new CancellationTokenSource();
        Task cancelled = timer.WaitAsync(TimeSpan.FromSeconds(1), cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(TimeSpan.FromSeconds(5)));
        ValueTask reused = timer.WaitAsync(TimeSpan.FromSeconds(3), CancellationToken.None);

        // Act
        clock.Advance(TimeSpan.FromSeconds(1));
        bool endedWithTheOldEntry = reused.IsCompleted;
        clock.Advance(TimeSpan.FromSeconds(2));

        // Assert
        Assert.False(endedWithTheOldEntry);
        Assert.True(reused.IsCompletedSuccessfully);
        await reused;
    }

    [Fact]
    public async Task WaitAsync_AlreadyCancelledToken_ThrowsWithoutWaiting()
    {
        // Arrange
        using var timer = new SharedDelayTimer(new FakeTimeProvider());

        // Act
        Task wait = timer.WaitAsync(TimeSpan.FromSeconds(3), new CancellationToken(canceled: true)).AsTask();

        // Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    private static async Task Record(ValueTask wait, Action onEnded)
    {
        // Not on the test's synchronization context, which would run this later, after the clock moved on.
        await wait.ConfigureAwait(false);
        onEnded();
    }
}
