using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Processing;

namespace QueueInference.Pipeline.Tests.Processing;

public sealed class ComputeSchedulerTests
{
    private static ComputeScheduler Create(int threads) =>
        new(Options.Create(new PipelineOptions { ComputeThreads = threads }));

    [Fact]
    public async Task RunAsync_Work_RunsOnAComputeThreadAndResumesTheCallerOffIt()
    {
        // Arrange
        using ComputeScheduler scheduler = Create(1);
        string? workThread = null;

        // Act
        await scheduler.RunAsync(_ => workThread = Thread.CurrentThread.Name, null);
        string? continuationThread = Thread.CurrentThread.Name;

        // Assert
        Assert.Equal("qi-compute-0", workThread);
        Assert.NotEqual("qi-compute-0", continuationThread);
    }

    [Fact]
    public async Task RunAsync_ManyItemsOnOneThread_RunsThemOneAtATimeInOrder()
    {
        // Arrange
        using ComputeScheduler scheduler = Create(1);
        var order = new List<int>();
        int running = 0;
        int maxRunning = 0;

        // Act
        Task[] all = [.. Enumerable.Range(0, 200).Select(i => scheduler.RunAsync(
            state =>
            {
                maxRunning = Math.Max(maxRunning, Interlocked.Increment(ref running));
                order.Add((int)state!);
                Interlocked.Decrement(ref running);
            },
            i))];
        await Task.WhenAll(all);

        // Assert
        Assert.Equal(1, maxRunning);
        Assert.Equal(Enumerable.Range(0, 200), order);
    }

    [Fact]
    public async Task RunAsync_WorkThrows_FaultsTheTaskAndKeepsServing()
    {
        // Arrange
        using ComputeScheduler scheduler = Create(1);

        // Act
        Task failed = scheduler.RunAsync(_ => throw new InvalidOperationException("boom"), null);
        bool ranAfter = false;
        await scheduler.RunAsync(_ => ranAfter = true, null);

        // Assert
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => failed);
        Assert.Equal("boom", error.Message);
        Assert.True(ranAfter);
    }

    [Fact]
    public void Constructor_ZeroThreads_OnePerProcessor()
    {
        // Arrange, Act
        using ComputeScheduler scheduler = Create(0);

        // Assert
        Assert.Equal(Environment.ProcessorCount, scheduler.MaximumConcurrencyLevel);
    }
}
