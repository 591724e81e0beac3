using QueueInference.Testing;
using Xunit.Abstractions;

namespace QueueInference.Worker.IntegrationTests;

[Collection(SharedBroker.Name)]
public sealed class WorkerShutdownTests(TestBroker broker, ITestOutputHelper output)
{
    private const int Count = 3000;
    private const int MaxInFlight = 400;

    [Fact]
    public async Task Sigterm_MidRun_FinishesInFlightAndLosesOrDuplicatesNothing()
    {
        // Arrange: 3000 requests at 400 in flight and 1 s of I/O take ~8 s, so the stop lands mid-run.
        string queue = WorkerTestSettings.NewQueueName("sigterm");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromSeconds(1), MaxInFlight);
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        await client.PublishAsync(Count);
        await using var first = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await client.WaitForRepliesAsync(TimeSpan.FromSeconds(30), expected: 600);

        // Act
        first.Terminate();
        int exitCode = await first.WaitForExitAsync(TimeSpan.FromSeconds(40));
        await client.WaitForQuietAsync(TimeSpan.FromMilliseconds(500));
        int repliedByFirst = client.Replies.Count;
        (long readyAfterStop, long unackedAfterStop) = await broker.QueueCountsAsync(queue);
        await using var second = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        bool allReplied = await client.WaitForRepliesAsync(TimeSpan.FromSeconds(60));
        await client.WaitForQuietAsync(TimeSpan.FromMilliseconds(500));
        output.WriteLine($"SIGTERM: published {Count}, replied by the stopped worker {repliedByFirst}, left ready {readyAfterStop}, unacked {unackedAfterStop}, replied in all {client.Replies.Count}, duplicates {client.Duplicates}");

        // Assert
        Assert.Equal(0, exitCode);
        Assert.Contains(first.Lines, line => line.Contains("Draining", StringComparison.Ordinal));
        Assert.Contains(first.Lines, line => line.Contains("0 given back to the broker unfinished", StringComparison.Ordinal));
        Assert.InRange(repliedByFirst, 600, Count - 1);
        Assert.Equal(0L, unackedAfterStop);
        Assert.Equal(Count - repliedByFirst, readyAfterStop);
        Assert.True(allReplied, $"{client.Replies.Count} of {Count} replied");
        Assert.Equal(0, client.Duplicates);
        Assert.Equal(0, client.Unknown);
    }

    [Fact]
    public async Task Sigkill_MidRun_RedeliveredRequestsAreProcessedAndNothingIsLost()
    {
        // Arrange
        string queue = WorkerTestSettings.NewQueueName("sigkill");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromSeconds(1), MaxInFlight);
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        await client.PublishAsync(Count);
        await using var first = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await client.WaitForRepliesAsync(TimeSpan.FromSeconds(30), expected: 600);

        // Act
        first.KillHard();
        await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await client.WaitForQuietAsync(TimeSpan.FromMilliseconds(500));
        int repliedByFirst = client.Replies.Count;
        await using var second = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        bool allReplied = await client.WaitForRepliesAsync(TimeSpan.FromSeconds(60));
        await client.WaitForQuietAsync(TimeSpan.FromMilliseconds(500));

        output.WriteLine($"SIGKILL: published {Count}, replied before the kill {repliedByFirst}, replied in all {client.Replies.Count}, duplicates {client.Duplicates}");

        // Assert: only a request whose reply was confirmed but whose ack died with the process can
        // be answered twice, so duplicates are bounded by what was in flight at the kill.
        Assert.InRange(repliedByFirst, 600, Count - 1);
        Assert.True(allReplied, $"{client.Replies.Count} of {Count} replied");
        Assert.InRange(client.Duplicates, 0, MaxInFlight);
        Assert.Equal(0, client.Unknown);
        (long ready, long unacked) = await broker.QueueCountsAsync(queue);
        Assert.Equal((0L, 0L), (ready, unacked));
        Assert.Contains(second.Lines, line => line.Contains(WorkerProcess.ConsumingMarker, StringComparison.Ordinal));
    }
}
