using System.Globalization;
using System.Text;
using QueueInference.Pipeline.Admission;
using QueueInference.Testing;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace QueueInference.Worker.IntegrationTests;

/// <summary>What production RabbitMQ brings: large requests in a small heap, broker blips, queues declared by the operator, forged headers, refusals.</summary>
[Collection(SharedBroker.Name)]
public sealed class ProductionBrokerTests(TestBroker broker, ITestOutputHelper output)
{
    private const string InFlight = "queueinference_requests_in_flight";
    private const string InFlightBytes = "queueinference_requests_in_flight_bytes";
    private const string Paused = "queueinference_consumer_paused";

    [Fact]
    public async Task LargeRequests_TheirSumExceedsTheHeap_AdmittedWithinTheBudgetAndAllReplied()
    {
        // Arrange: 1200 requests of 4096 values (about 80 KB each, 240 KB in flight each) would need 290 MB
        // held at once; the heap may hold 128 MB, the budget 40 MiB.
        const int count = 1200;
        const long budget = 40L * 1024 * 1024;
        string queue = WorkerTestSettings.NewQueueName("large");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromSeconds(1));
        settings["Contract:MaxBodyBytes"] = "131072";
        settings["Consumer:MaxInFlightBytes"] = budget.ToString(CultureInfo.InvariantCulture);
        settings["DOTNET_GCHeapHardLimit"] = "0x8000000";
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        await client.PublishAsync(count, dataLength: 4096);
        using var metrics = new MetricsScraper(int.Parse(settings["Observability:Port"], CultureInfo.InvariantCulture));

        // Act
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        Task<bool> replied = client.WaitForRepliesAsync(TimeSpan.FromSeconds(180));
        Dictionary<string, double> peaks = await metrics.PeaksAsync([InFlight, InFlightBytes, Paused], TimeSpan.FromMilliseconds(50), replied);
        await client.WaitForQuietAsync(TimeSpan.FromMilliseconds(500));
        output.WriteLine($"large: published {count}, replied {client.Replies.Count}, duplicates {client.Duplicates}, peak in flight {peaks[InFlight]}, peak held {peaks[InFlightBytes] / 1048576:F1} MiB of {budget / 1048576} MiB, peak paused consumers {peaks[Paused]}");

        // Assert
        Assert.True(await replied, $"{client.Replies.Count} of {count} replied; worker exited: {worker.HasExited}\n{worker.Output}");
        Assert.False(worker.HasExited);
        Assert.Equal(0, client.Duplicates);
        Assert.InRange(peaks[InFlightBytes], 1, budget);
        Assert.InRange(peaks[InFlight], 1, count / 4);
        Assert.True(peaks[Paused] > 0, "the budget should have paused consumers");
    }

    [Fact]
    public async Task MixedSizes_SmallAndLargeRequestsTogether_AllRepliedWithinTheBudget()
    {
        // Arrange: seed-size requests with large ones among them (5 % of 4096 values, as production brings),
        // under a budget and a heap the large ones alone would overrun if admitted by count.
        const int small = 1900;
        const int large = 100;
        const long budget = 24L * 1024 * 1024;
        string queue = WorkerTestSettings.NewQueueName("mixed");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromSeconds(1));
        settings["Contract:MaxBodyBytes"] = "131072"; // this client's 4096 values take about 80 KB
        settings["Consumer:MaxInFlightBytes"] = budget.ToString(CultureInfo.InvariantCulture);
        settings["DOTNET_GCHeapHardLimit"] = "0x8000000";
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        await client.PublishAsync(small / 2);
        await client.PublishAsync(large, dataLength: 4096);
        await client.PublishAsync(small / 2);
        using var metrics = new MetricsScraper(int.Parse(settings["Observability:Port"], CultureInfo.InvariantCulture));

        // Act
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        Task<bool> replied = client.WaitForRepliesAsync(TimeSpan.FromSeconds(180));
        Dictionary<string, double> peaks = await metrics.PeaksAsync([InFlight, InFlightBytes], TimeSpan.FromMilliseconds(50), replied);
        await client.WaitForQuietAsync(TimeSpan.FromMilliseconds(500));
        output.WriteLine($"mixed: published {small} small and {large} large, replied {client.Replies.Count}, duplicates {client.Duplicates}, peak in flight {peaks[InFlight]}, peak held {peaks[InFlightBytes] / 1048576:F1} MiB of {budget / 1048576} MiB");

        // Assert: every request of either size answered once, the budget never passed.
        Assert.True(await replied, $"{client.Replies.Count} of {small + large} replied; worker exited: {worker.HasExited}\n{worker.Output}");
        Assert.False(worker.HasExited);
        Assert.Equal(0, client.Duplicates);
        Assert.InRange(peaks[InFlightBytes], 1, budget);
    }

    [Fact]
    public async Task CloseAllConnections_ThousandsInFlight_NoDuplicateNoRetryNoLoss()
    {
        // Arrange, Act: 3000 requests, 5 s I/O, the connections closed with 2000 in flight.
        const int count = 3000;

        BlipRun run = await CloseAllConnectionsAsync("blip", count, maxInFlight: 20_000, closeAt: 2000, TimeSpan.FromSeconds(90));

        // Assert
        Assert.True(run.AllReplied, $"{run.Replied} of {count} replied");
        Assert.Empty(run.DeadLetters);
        Assert.InRange(run.Duplicates, 0, run.InFlight / 100);
        Assert.Equal(0L, run.Ready + run.Unacked);
        Assert.Single(run.WorkerLines, l => l.Contains("Connection lost", StringComparison.Ordinal));
        Assert.DoesNotContain(run.WorkerLines, l => l.Contains("Attempt failed", StringComparison.Ordinal) || l.Contains("   at ", StringComparison.Ordinal));
        Assert.False(run.WorkerExited);
    }

    [Fact]
    public async Task CloseAllConnections_MaxInFlightHeld_RedeliveriesJoinWithoutWaitingForTheMessageTimeout()
    {
        // Arrange, Act: the worker holds all it may (Consumer:MaxInFlight 500) when its connection goes. Those requests
        // settle through their redeliveries, which the new connection's consumers receive. Before, the held ones
        // counted against Consumer:MaxInFlight, so the new consumers got no credit, no redelivery came, and every
        // request waited for Pipeline:MessageTimeout (60 s) and was retried (ClusterWorkerTests failed on it twice).
        const int maxInFlight = 500;
        const int count = 1500;

        BlipRun run = await CloseAllConnectionsAsync("blip-full", count, maxInFlight, closeAt: maxInFlight, TimeSpan.FromSeconds(40));

        // Assert: three rounds of 5 s, and the redeliveries' joins, well inside the 60 s message timeout.
        Assert.True(run.AllReplied, $"{run.Replied} of {count} replied within 40 s of the blip");
        Assert.Empty(run.DeadLetters);
        Assert.InRange(run.Duplicates, 0, run.InFlight / 100);
        Assert.DoesNotContain(run.WorkerLines, l => l.Contains("Attempt failed", StringComparison.Ordinal) || l.Contains("   at ", StringComparison.Ordinal));
        Assert.False(run.WorkerExited);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task CloseAllConnections_MemoryBudgetHeld_RedeliveriesJoinWithoutWaitingForTheMessageTimeout(int partitions)
    {
        // Arrange, Act: every request is as large as Contract:MaxBodyBytes allows (4096 values, 28.8 KB), so the
        // requests in flight hold about all the 16 MiB budget lets the consumers take (its 90 %) when the connection
        // goes. Those requests settle only through their redeliveries; counted against the budget, they leave the
        // new connection's consumers less room than a window needs, so before, no consumer started, no redelivery
        // came, and every request waited for Pipeline:MessageTimeout (60 s) and was processed again. The same with the
        // requests spread over two request queues, each with its own consumers.
        const long budget = 16L * 1024 * 1024;
        const int count = 600;
        var largest = new LargestRequests(DataLength: 4096, MaxBodyBytes: 28_800, budget);

        BlipRun run = await CloseAllConnectionsAsync("blip-bytes", count, maxInFlight: 20_000, closeAt: budget * 85 / 100, TimeSpan.FromSeconds(40), largest, partitions);

        // Assert: four rounds of 5 s, and the redeliveries' joins, well inside the 60 s message timeout; the budget
        // passed by one request at most (the one delivery that lets the lost connection's requests settle).
        Assert.True(run.AllReplied, $"{run.Replied} of {count} replied within 40 s of the blip");
        Assert.InRange(run.PeakBytesAfterBlip, 1, budget + new RequestMemoryCost(4096).Of(largest.MaxBodyBytes));
        Assert.Empty(run.DeadLetters);
        Assert.InRange(run.Duplicates, 0, count / 100);
        Assert.DoesNotContain(run.WorkerLines, l => l.Contains("Attempt failed", StringComparison.Ordinal) || l.Contains("   at ", StringComparison.Ordinal));
        Assert.False(run.WorkerExited);
    }

    [Fact]
    public async Task BrokerStopsLongerThanNothingButShorterThanTheIoStep_NoDuplicate()
    {
        // Arrange
        const int count = 1500;
        string queue = WorkerTestSettings.NewQueueName("outage");
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue, $"replies.{queue}", durableResponseQueue: true);
        await client.PublishAsync(count);
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromSeconds(8));
        settings["Reply:Persistent"] = "true";
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        long inFlight = await WaitForUnackedAsync(queue, count, TimeSpan.FromSeconds(60));

        // Act: the broker is away for 3 s while every request sits in its 8 s I/O step.
        await broker.StopAppAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await broker.StartAppAsync();
        bool allReplied = await client.WaitForRepliesAsync(TimeSpan.FromSeconds(90));
        await client.WaitForQuietAsync(TimeSpan.FromSeconds(1));
        List<DeadLetter> deadLetters = await QueueReader.DrainAsync(broker, $"{queue}.dead");
        output.WriteLine($"stop_app 3 s with {inFlight} in flight: replied {client.Replies.Count} of {count}, duplicates {client.Duplicates}, dead-lettered {deadLetters.Count}");
        output.WriteLine(string.Join('\n', worker.Lines.Where(l => l.Contains("Connection", StringComparison.Ordinal) || l.Contains("Outage", StringComparison.Ordinal))));

        // Assert
        Assert.True(allReplied, $"{client.Replies.Count} of {count} replied");
        Assert.Empty(deadLetters);
        Assert.InRange(client.Duplicates, 0, inFlight / 100);
        Assert.Contains(worker.Lines, l => l.Contains("Outage settled", StringComparison.Ordinal));
        Assert.False(worker.HasExited);
    }

    public static TheoryData<string, string> OperatorQueues() => new()
    {
        { "quorum", """{"x-queue-type": "quorum"}""" },
        { "max-length", """{"x-max-length": 100000, "x-overflow": "reject-publish"}""" },
        { "ttl", """{"x-message-ttl": 3600000}""" },
    };

    [Theory]
    [MemberData(nameof(OperatorQueues))]
    public async Task RequestQueueDeclaredWithArguments_ConsumedAsItIs(string kind, string arguments)
    {
        // Arrange
        const int count = 200;
        string queue = WorkerTestSettings.NewQueueName(kind);
        await using (IConnection connection = await broker.ConnectAsync())
        await using (IChannel channel = await connection.CreateChannelAsync())
        {
            var declared = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>(arguments)!
                .ToDictionary(p => p.Key, p => p.Value.ValueKind == System.Text.Json.JsonValueKind.Number ? (object?)p.Value.GetInt64() : p.Value.GetString());
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: declared);
        }

        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue, declareRequestQueue: false);
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromMilliseconds(50)));
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));

        // Act
        await client.PublishAsync(count);
        bool allReplied = await client.WaitForRepliesAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"{kind} request queue ({arguments}): replied {client.Replies.Count} of {count}");

        // Assert
        Assert.True(allReplied, $"{client.Replies.Count} of {count} replied\n{worker.Output}");
        Assert.DoesNotContain(worker.Lines, l => l.Contains("PRECONDITION_FAILED", StringComparison.Ordinal));
    }

    public static TheoryData<object> ForgedCounts() => new() { -1_000_000, 2_147_483_648L, long.MaxValue, "3", 1.5 };

    [Theory]
    [MemberData(nameof(ForgedCounts))]
    public async Task ForgedRetryAttempts_DeadLetteredAtTheFirstFailure(object forged)
    {
        // Arrange: every attempt fails.
        string queue = WorkerTestSettings.NewQueueName("forged-attempts");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.Zero);
        settings["IoStep:FailureRate"] = "1";
        settings["Retry:InitialDelay"] = "00:00:00.050";
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));

        // Act
        await client.PublishRawAsync(
            Encoding.UTF8.GetBytes("""{"message_id": "forged", "data": [1, 2, 3, 4, 5]}"""),
            new BasicProperties { Persistent = true, ReplyTo = client.ResponseQueue, CorrelationId = "forged", Headers = new Dictionary<string, object?> { ["x-retry-attempts"] = forged } });
        await QueueReader.WaitForReadyAsync(broker, $"{queue}.dead", 1, TimeSpan.FromSeconds(30));
        DeadLetter deadLetter = Assert.Single(await QueueReader.DrainAsync(broker, $"{queue}.dead"));
        int failures = worker.Lines.Count(l => l.Contains("Attempt failed", StringComparison.Ordinal));
        output.WriteLine($"x-retry-attempts = {forged} ({forged.GetType().Name}): dead-lettered as {deadLetter.Header("x-dead-letter-reason")} after {failures} failure(s)");

        // Assert
        Assert.Equal("retries-exhausted", deadLetter.Header("x-dead-letter-reason"));
        Assert.Equal(1, failures);
    }

    [Theory]
    [InlineData(-1_000_000)]
    [InlineData(int.MaxValue)]
    public async Task ForgedRedeliveries_RedeliveredOnce_DeadLetteredAsPoison(int forged)
    {
        // Arrange: the request is held (30 s I/O step) when its worker dies.
        string queue = WorkerTestSettings.NewQueueName("forged-redeliveries");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromSeconds(30));
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        await client.PublishRawAsync(
            Encoding.UTF8.GetBytes("""{"message_id": "forged", "data": [1, 2, 3, 4, 5]}"""),
            new BasicProperties { Persistent = true, ReplyTo = client.ResponseQueue, CorrelationId = "forged", Headers = new Dictionary<string, object?> { ["x-redeliveries"] = forged } });
        await using (var first = WorkerProcess.Start(RepositoryPaths.Worker, settings))
        {
            await WaitForUnackedAsync(queue, 1, TimeSpan.FromSeconds(30));
            first.KillHard();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        // Act
        await using var second = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await QueueReader.WaitForReadyAsync(broker, $"{queue}.dead", 1, TimeSpan.FromSeconds(30));
        DeadLetter deadLetter = Assert.Single(await QueueReader.DrainAsync(broker, $"{queue}.dead"));
        output.WriteLine($"x-redeliveries = {forged}: dead-lettered as {deadLetter.Header("x-dead-letter-reason")}");

        // Assert
        Assert.Equal("redelivered-too-often", deadLetter.Header("x-dead-letter-reason"));
        Assert.Empty(client.Replies);
    }

    [Theory]
    [InlineData("wrong-password")]
    [InlineData("unknown-vhost")]
    public async Task BrokerRefusesTheWorker_LivenessFailsThenExits69(string refusal)
    {
        // Arrange
        var uri = new Uri(broker.AmqpUrl);
        string url = refusal == "wrong-password" ? $"amqp://guest:wrong@{uri.Authority}/" : $"amqp://guest:guest@{uri.Authority}/no-such-vhost";
        Dictionary<string, string> settings = WorkerTestSettings.For(url, WorkerTestSettings.NewQueueName("refused"), TimeSpan.Zero);
        settings["Consumer:RefusalTimeout"] = "00:00:03";
        settings["Consumer:ConnectRetryDelay"] = "00:00:00.500";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };

        // Act
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await worker.WaitForLineAsync("refuses this worker", TimeSpan.FromSeconds(30));
        HttpResponseMessage? live = null;
        for (int i = 0; i < 20 && live is null; i++)
        {
            try
            {
                live = await http.GetAsync($"http://127.0.0.1:{settings["Observability:Port"]}/health/live");
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        int exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"{refusal}: /health/live {(int?)live?.StatusCode}, exit {exitCode}\n{string.Join('\n', worker.Lines.Where(l => l.Contains("refuse", StringComparison.Ordinal) || l.Contains("Giving up", StringComparison.Ordinal)))}");

        // Assert
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, live?.StatusCode);
        Assert.Equal(69, exitCode);
        Assert.Single(worker.Lines, l => l.Contains("Giving up", StringComparison.Ordinal));
        Assert.DoesNotContain(worker.Lines, l => l.Contains("   at ", StringComparison.Ordinal));
    }

    /// <summary>
    /// Publishes <paramref name="count"/> seed requests with durable replies (so the test counts what the worker sent,
    /// not what a client lost), spread over <paramref name="partitions"/> request queues of one worker, starts the
    /// worker with a 5 s I/O step, runs rabbitmqctl close_all_connections once it holds <paramref name="closeAt"/>
    /// (requests, or bytes with <paramref name="largest"/>), and waits up to <paramref name="replyWait"/> for every reply.
    /// </summary>
    private async Task<BlipRun> CloseAllConnectionsAsync(string name, int count, int maxInFlight, long closeAt, TimeSpan replyWait, LargestRequests? largest = null, int partitions = 1)
    {
        string[] queues = [.. Enumerable.Range(0, partitions).Select(p => WorkerTestSettings.NewQueueName(partitions == 1 ? name : $"{name}-{p}"))];
        var clients = new List<SeedClient>();
        try
        {
            foreach (string queue in queues)
            {
                clients.Add(await SeedClient.ConnectAsync(broker.AmqpUrl, queue, $"replies.{queue}", durableResponseQueue: true));
            }

            Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, string.Join(", ", queues), TimeSpan.FromSeconds(5), maxInFlight);
            settings["Reply:Persistent"] = "true";
            if (largest is not null)
            {
                settings["Contract:MaxBodyBytes"] = largest.MaxBodyBytes.ToString(CultureInfo.InvariantCulture);
                settings["Consumer:MaxInFlightBytes"] = largest.BudgetBytes.ToString(CultureInfo.InvariantCulture);
            }

            foreach (SeedClient client in clients)
            {
                // Six-digit integers for the largest requests: every body is the same length, so each costs what the largest valid one would.
                await (largest is null
                    ? client.PublishAsync(count / partitions)
                    : client.PublishAsync(count / partitions, largest.DataLength, () => Random.Shared.Next(100_000, 1_000_000)));
            }

            using var metrics = new MetricsScraper(int.Parse(settings["Observability:Port"], CultureInfo.InvariantCulture));
            await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
            long inFlight = await WaitForGaugeAsync(metrics, largest is null ? InFlight : InFlightBytes, closeAt, TimeSpan.FromSeconds(60));

            await broker.CtlAsync("close_all_connections", "blip test");
            Task<bool[]> replies = Task.WhenAll(clients.Select(c => c.WaitForRepliesAsync(replyWait)));
            double peakBytes = (await metrics.PeaksAsync([InFlightBytes], TimeSpan.FromMilliseconds(50), replies))[InFlightBytes];
            bool allReplied = (await replies).All(replied => replied);
            var deadLetters = new List<DeadLetter>();
            long ready = 0;
            long unacked = 0;
            foreach (string queue in queues)
            {
                deadLetters.AddRange(await QueueReader.DrainAsync(broker, $"{queue}.dead"));
                (long queueReady, long queueUnacked) = await broker.QueueCountsAsync(queue);
                (ready, unacked) = (ready + queueReady, unacked + queueUnacked);
            }

            foreach (SeedClient client in clients)
            {
                await client.WaitForQuietAsync(TimeSpan.FromSeconds(1));
            }

            int replied = clients.Sum(c => c.Replies.Count);
            int duplicates = clients.Sum(c => c.Duplicates);
            output.WriteLine($"close_all_connections with {inFlight} {(largest is null ? "requests" : "bytes")} in flight (Consumer:MaxInFlight {maxInFlight}, {partitions} request queue(s)): replied {replied} of {count}, duplicates {duplicates}, dead-lettered {deadLetters.Count}, peak held after the blip {peakBytes / 1048576:F1} MiB");
            output.WriteLine(string.Join('\n', worker.Lines.Where(l => l.Contains("Connection", StringComparison.Ordinal) || l.Contains("Outage", StringComparison.Ordinal))));
            return new BlipRun(inFlight, allReplied, replied, duplicates, deadLetters, ready, unacked, peakBytes, [.. worker.Lines], worker.HasExited);
        }
        finally
        {
            foreach (SeedClient client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>What <see cref="CloseAllConnectionsAsync"/> saw, read before the worker stopped.</summary>
    /// <summary>Requests of <paramref name="DataLength"/> values that are the largest <paramref name="MaxBodyBytes"/> allows, under a budget of <paramref name="BudgetBytes"/>.</summary>
    private sealed record LargestRequests(int DataLength, int MaxBodyBytes, long BudgetBytes);

    private sealed record BlipRun(long InFlight, bool AllReplied, int Replied, int Duplicates, List<DeadLetter> DeadLetters, long Ready, long Unacked, double PeakBytesAfterBlip, List<string> WorkerLines, bool WorkerExited);

    /// <summary>Reads the worker's own gauge: rabbitmqctl can take seconds to answer on a busy machine.</summary>
    private static async Task<long> WaitForGaugeAsync(MetricsScraper metrics, string gauge, long atLeast, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        double seen = 0;
        while (DateTime.UtcNow < deadline)
        {
            seen = MetricsScraper.Value(await metrics.ReadAsync(), gauge);
            if (seen >= atLeast)
            {
                return (long)seen;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"the worker's {gauge} never reached {atLeast} (last {seen}).");
    }

    private async Task<long> WaitForUnackedAsync(string queue, long unacked, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        long seen = 0;
        while (DateTime.UtcNow < deadline)
        {
            seen = (await broker.QueueCountsAsync(queue)).Unacked;
            if (seen >= unacked)
            {
                return seen;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{queue} never had {unacked} unacked message(s) (last {seen}).");
    }
}
