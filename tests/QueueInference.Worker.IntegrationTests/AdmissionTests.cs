using System.Globalization;
using QueueInference.Testing;
using Xunit.Abstractions;

namespace QueueInference.Worker.IntegrationTests;

/// <summary>
/// In flight follows capacity: a worker whose CPU is its bottleneck, started in front of a backlog, holds about what
/// its CPU starts within Consumer:ComputeWaitTarget, not Consumer:MaxInFlight, and leaves the rest in the broker for
/// the pods KEDA adds.
/// </summary>
[Collection(SharedBroker.Name)]
public sealed class AdmissionTests(TestBroker broker, ITestOutputHelper output)
{
    private const string InFlight = "queueinference_requests_in_flight";
    private const string Limit = "queueinference_consumer_in_flight_limit";

    [Fact]
    public async Task Backlog_CpuBoundWithNoIoStep_HoldsWhatItsCpuStartsWithinTheTargetNotMaxInFlight()
    {
        // Arrange: 10 000 seed requests wait before the worker starts. With no I/O step and the seed's own
        // transformation loop (about 0.3 ms a request), the CPU is the bottleneck at a few thousand requests a second,
        // so the target (250 ms) is worth well under 2000 requests; Consumer:MaxInFlight stays at 20 000. The worker's
        // consumers can take 20 000 within a second. Measured here: about 2000 held at the peak (the consumers'
        // windows granted before the first updates), and 7150 before the limit followed the lane's queue.
        const int count = 10_000;
        const int heldAtMost = 4_000;
        string queue = WorkerTestSettings.NewQueueName("admission");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.Zero);
        settings["Transformation:Mode"] = "SeedCost";
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        await client.PublishAsync(count);
        using var metrics = new MetricsScraper(int.Parse(settings["Observability:Port"], CultureInfo.InvariantCulture));

        // Act
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        Task<bool> replied = client.WaitForRepliesAsync(TimeSpan.FromSeconds(180));
        Dictionary<string, double> peaks = await metrics.PeaksAsync([InFlight], TimeSpan.FromMilliseconds(20), replied);
        double limit = MetricsScraper.Value(await metrics.ReadAsync(), Limit);
        await client.WaitForQuietAsync(TimeSpan.FromMilliseconds(500));
        output.WriteLine($"admission: published {count}, replied {client.Replies.Count}, duplicates {client.Duplicates}, peak in flight {peaks[InFlight]}, in-flight limit at the end {limit}");

        // Assert
        Assert.True(await replied, $"{client.Replies.Count} of {count} replied; worker exited: {worker.HasExited}\n{worker.Output}");
        Assert.Equal(0, client.Duplicates);
        Assert.InRange(peaks[InFlight], 1, heldAtMost);
        Assert.InRange(limit, 1, heldAtMost);
        Assert.False(worker.HasExited);
    }
}
