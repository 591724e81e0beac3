using System.Globalization;
using System.Text;
using System.Text.Json;
using QueueInference.Testing;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace QueueInference.Worker.IntegrationTests;

/// <summary>
/// The worker on a three-node cluster with a quorum request queue, its connection string naming all three
/// nodes: mid-load the node it is connected to is SIGKILLed, another is stopped gracefully, and every
/// connection is dropped; it recovers on the survivors by itself and every request ends replied or
/// dead-lettered.
/// </summary>
[Collection(SharedCluster.Name)]
public sealed class ClusterWorkerTests(TestCluster fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string ConsumerConnection = "queue-inference-consumer";

    private static readonly double[] SeedData = [1.0, 2.0, 3.0, 4.0, 5.0];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => fixture.RestoreAsync();

    [Fact]
    public async Task QuorumRequestQueue_ConnectedNodeKilledAnotherStoppedConnectionsDropped_NothingLostRecoversByItself()
    {
        // Arrange: quorum request and reply queues, a backlog published before the worker starts, worked off
        // at about 300 requests a second (600 in flight, 2 s each), so every fault lands mid-load.
        const int count = 12_000;
        string queue = $"requests.cluster.{Guid.NewGuid():N}";
        string replies = $"replies.{queue}";
        await fixture.Cluster.DeclareQuorumQueueAsync(queue);
        await fixture.Cluster.DeclareQuorumQueueAsync(replies);
        HashSet<string> sent = await PublishAsync(queue, replies, count);
        Dictionary<string, string> settings = WorkerTestSettings.For(fixture.AmqpUrl, queue, TimeSpan.FromSeconds(2), maxInFlight: 600);
        settings["Reply:Persistent"] = "true";
        using var metrics = new MetricsScraper(int.Parse(settings["Observability:Port"], CultureInfo.InvariantCulture));
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(60));
        var log = new List<string>();

        // Act 1: SIGKILL the node the worker consumes through, with requests in flight.
        double inFlightAtKill = await WaitForInFlightAsync(metrics, 300);
        int killed = await fixture.Cluster.NodeOfConnectionAsync(ConsumerConnection) ?? throw new InvalidOperationException("the worker's consumer connection is on no node");
        await fixture.Cluster.KillNodeAsync(killed);
        log.Add($"killed node {killed} (the consumer's) with {inFlightAtKill} in flight");
        await WaitForRecoveriesAsync(worker, 1);

        // Act 2: the killed node comes back; then the node the worker is on now is stopped gracefully.
        await fixture.Cluster.StartNodeAsync(killed);
        double inFlightAtStop = await WaitForInFlightAsync(metrics, 1);
        int stopped = await fixture.Cluster.NodeOfConnectionAsync(ConsumerConnection) ?? throw new InvalidOperationException("the worker's consumer connection is on no node");
        await fixture.Cluster.StopAppAsync(stopped);
        log.Add($"stopped node {stopped} gracefully with {inFlightAtStop} in flight");
        await WaitForRecoveriesAsync(worker, 2);
        await fixture.Cluster.StartNodeAsync(stopped);

        // Act 3: every connection dropped at once.
        double inFlightAtDrop = MetricsScraper.Value(await metrics.ReadAsync(), "queueinference_requests_in_flight");
        await fixture.Cluster.CloseAllConnectionsAsync("cluster test");
        log.Add($"closed all connections with {inFlightAtDrop} in flight");
        await WaitForRecoveriesAsync(worker, 3);

        (Dictionary<string, int> replied, List<string> deadLettered) = await CollectAsync(replies, $"{queue}.dead", sent, TimeSpan.FromSeconds(120));
        int duplicates = replied.Values.Sum(n => n - 1);
        int lost = sent.Count(id => !replied.ContainsKey(id) && !deadLettered.Contains(id));
        foreach (string line in log)
        {
            output.WriteLine(line);
        }

        output.WriteLine($"cluster: published {count}, replied {replied.Count}, dead-lettered {deadLettered.Count}, lost {lost}, duplicates {duplicates}");
        output.WriteLine(string.Join('\n', worker.Lines.Where(l => l.Contains("Connection", StringComparison.Ordinal) || l.Contains("Outage", StringComparison.Ordinal) || l.Contains("Connected", StringComparison.Ordinal))));

        // Assert
        Assert.Equal(0, lost);
        Assert.Equal(count, replied.Count + deadLettered.Count);
        // Each fault can answer twice at most what was in flight at it (the cluster-kill goal, per fault); three faults.
        Assert.InRange(duplicates, 0, (int)(inFlightAtKill + inFlightAtStop + inFlightAtDrop));
        Assert.False(worker.HasExited);
        Assert.Equal(0L, (await fixture.Cluster.QueueCountsAsync(queue)).Ready);
    }

    private async Task<HashSet<string>> PublishAsync(string queue, string replies, int count)
    {
        await using IConnection connection = await fixture.ConnectAsync(0, "cluster-test-publisher");
        await using IChannel channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true, outstandingPublisherConfirmationsRateLimiter: null));
        var sent = new HashSet<string>();
        var pending = new List<Task>(count);
        for (int i = 0; i < count; i++)
        {
            string id = Guid.NewGuid().ToString();
            sent.Add(id);
            byte[] body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["message_id"] = id, ["data"] = SeedData, ["send_timestamp"] = 0.0 });
            pending.Add(channel.BasicPublishAsync(string.Empty, queue, mandatory: true, new BasicProperties { Persistent = true, ReplyTo = replies, CorrelationId = id }, body).AsTask());
        }

        await Task.WhenAll(pending);
        return sent;
    }

    /// <summary>Reads replies and dead letters through any running node until every request is accounted for, then until quiet.</summary>
    private async Task<(Dictionary<string, int> Replied, List<string> DeadLettered)> CollectAsync(string replies, string dead, HashSet<string> sent, TimeSpan timeout)
    {
        var replied = new Dictionary<string, int>();
        var deadLettered = new List<string>();
        DateTime deadline = DateTime.UtcNow + timeout;
        DateTime quietSince = DateTime.UtcNow;
        await using IConnection connection = await fixture.ConnectAsync(0, "cluster-test-collector");
        await using IChannel channel = await connection.CreateChannelAsync();
        while (DateTime.UtcNow < deadline)
        {
            bool any = false;
            while (await channel.BasicGetAsync(replies, autoAck: true) is { } reply)
            {
                using JsonDocument document = JsonDocument.Parse(reply.Body);
                string id = document.RootElement.GetProperty("message_id").GetString()!;
                replied[id] = replied.GetValueOrDefault(id) + 1;
                any = true;
            }

            if (await QueueExistsAsync(connection, dead))
            {
                while (await channel.BasicGetAsync(dead, autoAck: true) is { } letter)
                {
                    deadLettered.Add(letter.BasicProperties.CorrelationId ?? Encoding.UTF8.GetString(letter.Body.Span));
                    any = true;
                }
            }

            quietSince = any ? DateTime.UtcNow : quietSince;
            if (replied.Count + deadLettered.Count >= sent.Count && DateTime.UtcNow - quietSince > TimeSpan.FromSeconds(3))
            {
                break;
            }

            await Task.Delay(200);
        }

        return (replied, deadLettered);
    }

    private static async Task<bool> QueueExistsAsync(IConnection connection, string queue)
    {
        try
        {
            await using IChannel probe = await connection.CreateChannelAsync();
            await probe.QueueDeclarePassiveAsync(queue);
            return true;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }
    }

    private static async Task<double> WaitForInFlightAsync(MetricsScraper metrics, double atLeast)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        double seen = 0;
        while (DateTime.UtcNow < deadline)
        {
            seen = MetricsScraper.Value(await metrics.ReadAsync(), "queueinference_requests_in_flight");
            if (seen >= atLeast)
            {
                return seen;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"the worker never had {atLeast} requests in flight (last {seen}).");
    }

    private static async Task WaitForRecoveriesAsync(WorkerProcess worker, int recoveries)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(90);
        while (worker.Lines.Count(l => l.Contains("Connection recovered", StringComparison.Ordinal)) < recoveries)
        {
            if (worker.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the worker did not recover {recoveries} time(s):\n{worker.Output}");
            }

            await Task.Delay(100);
        }
    }
}
