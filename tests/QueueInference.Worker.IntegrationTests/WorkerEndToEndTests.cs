using System.Diagnostics;
using System.Text.Json;
using QueueInference.Testing;

namespace QueueInference.Worker.IntegrationTests;

[Collection(SharedBroker.Name)]
public sealed class WorkerEndToEndTests(TestBroker broker)
{
    public static TheoryData<string> Models => new() { "repo", "seed" };

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Worker_SeedRequests_ExactlyOneExactReplyEach(string model)
    {
        // Arrange
        const int count = 2000;
        string queue = WorkerTestSettings.NewQueueName($"e2e-{model}");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromMilliseconds(200));
        if (model == "seed")
        {
            settings["Inference:ModelPath"] = RepositoryPaths.SeedModel;
        }

        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));

        // Act
        await client.PublishAsync(count);
        bool allReplied = await client.WaitForRepliesAsync(TimeSpan.FromSeconds(60));

        // Assert
        Assert.True(allReplied, $"{client.Replies.Count} of {count} replied");
        Assert.Equal(0, client.Duplicates);
        Assert.Equal(0, client.Unknown);
        foreach (SeedReply reply in client.Replies.Values)
        {
            Assert.Equal(reply.MessageId, reply.CorrelationId);
            using JsonDocument document = JsonDocument.Parse(reply.Json);
            JsonElement result = document.RootElement.GetProperty("result");
            double[] sent = client.Sent[reply.MessageId];
            Assert.Equal(sent, result.GetProperty("original_input").EnumerateArray().Select(v => v.GetDouble()));
            string processed = result.GetProperty("processed_data").GetString()!;
            Assert.Equal(ExpectedReply.ProcessedData(sent), processed);
            Assert.Equal(ExpectedReply.ModelOutput(processed), result.GetProperty("model_output").GetRawText());
            Assert.True(document.RootElement.GetProperty("pick_up_timestamp").GetDouble() <= document.RootElement.GetProperty("response_timestamp").GetDouble());
        }

        await AssertQueueSettledAsync(queue);
        Assert.Contains(worker.Lines, line => line.Contains(model == "seed" ? "shared/seed/model.onnx" : "models/model.onnx", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Worker_OutOfOrderCompletionsAndRetries_EveryRequestAckedOnceAfterItsReply()
    {
        // Arrange: a jittered I/O step and injected failures finish requests far from delivery order, the
        // case the batched multiple acks must get right (no ack before its reply, none left unacked).
        const int count = 3000;
        string queue = WorkerTestSettings.NewQueueName("ack-order");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromMilliseconds(300));
        settings["IoStep:Jitter"] = "00:00:00.290";
        settings["IoStep:Distribution"] = "Uniform";
        settings["IoStep:FailureRate"] = "0.05";
        settings["Retry:InitialDelay"] = "00:00:00.200";
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));

        // Act
        await client.PublishAsync(count);
        bool allReplied = await client.WaitForRepliesAsync(TimeSpan.FromSeconds(90));

        // Assert
        Assert.True(allReplied, $"{client.Replies.Count} of {count} replied");
        Assert.Equal(0, client.Duplicates);
        Assert.Equal(0, client.Unknown);
        await AssertQueueSettledAsync(queue);
    }

    [Fact]
    public async Task Worker_TwoPartitions_ServesBothAndDeadLettersToEachOwnQueue()
    {
        // Arrange: one worker on two request queues, as a partitioned stream is consumed.
        string first = WorkerTestSettings.NewQueueName("part-a");
        string second = WorkerTestSettings.NewQueueName("part-b");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, $"{first}, {second}", TimeSpan.FromMilliseconds(100));
        await using var firstClient = await SeedClient.ConnectAsync(broker.AmqpUrl, first);
        await using var secondClient = await SeedClient.ConnectAsync(broker.AmqpUrl, second);
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));

        // Act
        await firstClient.PublishAsync(300);
        await secondClient.PublishAsync(300);
        await secondClient.PublishRawAsync("not json"u8.ToArray(), new RabbitMQ.Client.BasicProperties { ReplyTo = secondClient.ResponseQueue, CorrelationId = "bad" });
        bool firstReplied = await firstClient.WaitForRepliesAsync(TimeSpan.FromSeconds(30));
        bool secondReplied = await secondClient.WaitForRepliesAsync(TimeSpan.FromSeconds(30));
        await QueueReader.WaitForReadyAsync(broker, $"{second}.dead", 1, TimeSpan.FromSeconds(30));

        // Assert
        Assert.True(firstReplied && secondReplied, $"{firstClient.Replies.Count} and {secondClient.Replies.Count} of 300 each");
        Assert.Equal(0, firstClient.Duplicates + secondClient.Duplicates);
        DeadLetter deadLetter = Assert.Single(await QueueReader.DrainAsync(broker, $"{second}.dead"));
        Assert.Equal(second, deadLetter.Header("x-original-queue"));
        Assert.Empty(await QueueReader.DrainAsync(broker, $"{first}.dead"));
        Assert.Equal((0L, 0L), await broker.QueueCountsAsync(first));
        Assert.Equal((0L, 0L), await broker.QueueCountsAsync(second));
    }

    [Fact]
    public async Task Worker_MaxInFlightOne_HoldsExactlyOneRequestAtATime()
    {
        // Arrange: how the stock Functions trigger dispatches; the staggered consumers must not add up to more.
        string queue = WorkerTestSettings.NewQueueName("one");
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        await client.PublishAsync(4);
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromSeconds(2), maxInFlight: 1));
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));

        // Act: the queue's unacked count, sampled until every request is answered (four I/O steps of 2 s, one after
        // another). Sampled, not read once at a fixed time: a reply can reach the client before its ack reaches the
        // broker, so a single read of replies beside the queue's counts may count one request twice.
        Task<bool> replied = client.WaitForRepliesAsync(TimeSpan.FromSeconds(30));
        long mostUnacked = 0;
        int samples = 0;
        while (!replied.IsCompleted)
        {
            mostUnacked = Math.Max(mostUnacked, (await broker.QueueCountsAsync(queue)).Unacked);
            samples++;
        }

        await client.WaitForQuietAsync(TimeSpan.FromMilliseconds(500));

        // Assert
        Assert.True(await replied, $"{client.Replies.Count} of 4 replied");
        Assert.True(samples >= 3, $"only {samples} samples of the queue's counts");
        Assert.Equal(1L, mostUnacked);
        Assert.Equal(0, client.Duplicates);
        Assert.Equal((0L, 0L), await broker.QueueCountsAsync(queue));
    }

    [Fact]
    public async Task Worker_UnmodifiedPythonSeedClient_GetsEveryReplyExact()
    {
        // Arrange: the seed's own client library (pika) and its way of declaring and publishing.
        string queue = WorkerTestSettings.NewQueueName("pika");
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromMilliseconds(100)));
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { RepositoryPaths.SeedClientScript, broker.AmqpUrl, "300", queue, $"response.{queue}", "60" })
        {
            start.ArgumentList.Add(argument);
        }

        // Act
        using Process client = Process.Start(start)!;
        string output = await client.StandardOutput.ReadToEndAsync();
        string error = await client.StandardError.ReadToEndAsync();
        await client.WaitForExitAsync();

        // Assert
        Assert.True(client.ExitCode == 0, $"seed client exited {client.ExitCode}: {output}{error} (needs Debian's python3-pika)");
        Assert.Contains("\"replied\": 300", output, StringComparison.Ordinal);
        Assert.Contains("\"error_count\": 0", output, StringComparison.Ordinal);
    }

    private async Task AssertQueueSettledAsync(string queue)
    {
        (long ready, long unacked) = (-1, -1);
        for (int i = 0; i < 40 && (ready, unacked) != (0, 0); i++)
        {
            (ready, unacked) = await broker.QueueCountsAsync(queue);
            await Task.Delay(100);
        }

        Assert.Equal((0L, 0L), (ready, unacked));
    }
}
