using Microsoft.Extensions.Time.Testing;
using QueueInference.Pipeline.Processing;

namespace QueueInference.Pipeline.Tests.Processing;

public sealed class TimeoutSourcesTests
{
    [Fact]
    public async Task Rent_TimeoutElapses_TokenCancels()
    {
        // Arrange
        using TimeoutSources.Lease lease = TimeoutSources.Rent(TimeSpan.FromMilliseconds(20), CancellationToken.None);

        // Act
        await Task.Delay(TimeSpan.FromSeconds(5), lease.Token).ContinueWith(_ => { }, TaskScheduler.Default);

        // Assert
        Assert.True(lease.IsCancellationRequested);
    }

    [Fact]
    public void Rent_ParentCancels_TokenCancels()
    {
        // Arrange
        using var parent = new CancellationTokenSource();
        using TimeoutSources.Lease lease = TimeoutSources.Rent(TimeSpan.FromMinutes(1), parent.Token);

        // Act
        parent.Cancel();

        // Assert
        Assert.True(lease.IsCancellationRequested);
    }

    [Fact]
    public void Dispose_SourceThatFired_IsNeverHandedOutAgain()
    {
        // Arrange
        using var parent = new CancellationTokenSource();
        TimeoutSources.Lease fired = TimeoutSources.Rent(TimeSpan.FromMinutes(1), parent.Token);
        parent.Cancel();

        // Act
        fired.Dispose();
        var next = Enumerable.Range(0, 100).Select(_ => TimeoutSources.Rent(TimeSpan.FromMinutes(1), CancellationToken.None)).ToList();

        // Assert
        Assert.All(next, lease => Assert.False(lease.IsCancellationRequested));
        next.ForEach(lease => lease.Dispose());
    }

    [Fact]
    public async Task Dispose_BeforeTheTimeout_ReturnedSourceDoesNotFireLater()
    {
        // Arrange
        TimeoutSources.Lease first = TimeoutSources.Rent(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        first.Dispose();

        // Act: whichever source the pool hands out now must not carry the first lease's timer.
        using TimeoutSources.Lease second = TimeoutSources.Rent(TimeSpan.FromMinutes(1), CancellationToken.None);
        await Task.Delay(200);

        // Assert
        Assert.False(second.IsCancellationRequested);
    }

    [Fact]
    public async Task Rent_TwoLeasesOfOneTimeout_EachCancelsAtItsOwnDeadline()
    {
        // Arrange: the second lease is due a second after the first.
        using TimeoutSources.Lease first = TimeoutSources.Rent(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1));
        using TimeoutSources.Lease second = TimeoutSources.Rent(TimeSpan.FromMilliseconds(200), CancellationToken.None);

        // Act
        bool secondBeforeItsDeadline = second.IsCancellationRequested;
        await Task.Delay(Timeout.InfiniteTimeSpan, second.Token).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);

        // Assert
        Assert.True(first.IsCancellationRequested);
        Assert.False(secondBeforeItsDeadline);
        Assert.True(second.IsCancellationRequested);
    }

    [Fact]
    public async Task Dispose_TheEarliestLease_TheNextStillCancels()
    {
        // Arrange
        TimeoutSources.Lease earliest = TimeoutSources.Rent(TimeSpan.FromMilliseconds(300), CancellationToken.None);
        using TimeoutSources.Lease next = TimeoutSources.Rent(TimeSpan.FromMilliseconds(300), CancellationToken.None);

        // Act
        earliest.Dispose();
        await Task.Delay(Timeout.InfiniteTimeSpan, next.Token).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);

        // Assert
        Assert.True(next.IsCancellationRequested);
    }

    [Fact]
    public async Task Rent_TwoTimeouts_OnlyTheShorterHasCancelled()
    {
        // Arrange
        using TimeoutSources.Lease longer = TimeoutSources.Rent(TimeSpan.FromMinutes(1), CancellationToken.None);
        using TimeoutSources.Lease shorter = TimeoutSources.Rent(TimeSpan.FromMilliseconds(50), CancellationToken.None);

        // Act
        await Task.Delay(Timeout.InfiniteTimeSpan, shorter.Token).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);

        // Assert
        Assert.True(shorter.IsCancellationRequested);
        Assert.False(longer.IsCancellationRequested);
    }

    [Fact]
    public async Task RentAndDispose_ManyThreadsAroundTheDeadlines_NoReusedSourceCancelsEarly()
    {
        // Arrange: leases of 1-3 ms, held 0-3 ms, so many are disposed just before, at or after their deadline; between
        // them, leases of a minute take the pooled sources, and none may be cancelled while held.
        int cancelledEarly = 0;

        // Act
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            for (int i = 0; i < 2000; i++)
            {
                using (TimeoutSources.Rent(TimeSpan.FromMilliseconds(1 + random.Next(3)), CancellationToken.None))
                {
                    if (random.Next(4) == 0)
                    {
                        await Task.Delay(random.Next(4));
                    }
                }

                using TimeoutSources.Lease minute = TimeoutSources.Rent(TimeSpan.FromMinutes(1), CancellationToken.None);
                bool atRent = minute.IsCancellationRequested;
                await Task.Yield();
                if (atRent || minute.IsCancellationRequested)
                {
                    Interlocked.Increment(ref cancelledEarly);
                }
            }
        })));

        // Assert
        Assert.Equal(0, cancelledEarly);
    }

    [Fact]
    public void Release_ALeaseItsDeadlineTookOffButHasNotCancelledYet_ItsSourceIsNeverHandedOutAgain()
    {
        // Arrange: two leases due at once. The deadline takes both off the list and cancels them in order; while the
        // first's cancellation runs, the second lease ends (taken off, not yet cancelled) and a new lease is rented.
        var clock = new FakeTimeProvider();
        var list = new DeadlineList(TimeSpan.FromSeconds(1), clock);
        TimeoutSources.Lease first = list.Rent(CancellationToken.None);
        TimeoutSources.Lease second = list.Rent(CancellationToken.None);
        TimeoutSources.Lease? rentedMeanwhile = null;
        using CancellationTokenRegistration onFirst = first.Token.Register(() =>
        {
            second.Dispose();
            rentedMeanwhile = list.Rent(CancellationToken.None);
        });

        // Act
        clock.Advance(TimeSpan.FromSeconds(1));

        // Assert
        Assert.True(first.IsCancellationRequested);
        Assert.NotNull(rentedMeanwhile);
        Assert.False(rentedMeanwhile.Value.IsCancellationRequested);
    }

    [Fact]
    public void Rent_BeforeAndAfterTheDeadline_OnlyTheLeasesDueCancel()
    {
        // Arrange
        var clock = new FakeTimeProvider();
        var list = new DeadlineList(TimeSpan.FromSeconds(10), clock);
        TimeoutSources.Lease early = list.Rent(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(4));
        TimeoutSources.Lease late = list.Rent(CancellationToken.None);

        // Act
        clock.Advance(TimeSpan.FromSeconds(6));
        bool lateAtTheEarlyDeadline = late.IsCancellationRequested;
        clock.Advance(TimeSpan.FromSeconds(4));

        // Assert
        Assert.True(early.IsCancellationRequested);
        Assert.False(lateAtTheEarlyDeadline);
        Assert.True(late.IsCancellationRequested);
    }
}
