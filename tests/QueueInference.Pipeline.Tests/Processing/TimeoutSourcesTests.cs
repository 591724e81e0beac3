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
}
