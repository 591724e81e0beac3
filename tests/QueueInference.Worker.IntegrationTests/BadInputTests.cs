using System.Text;
using QueueInference.Testing;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace QueueInference.Worker.IntegrationTests;

[Collection(SharedBroker.Name)]
public sealed class BadInputTests(TestBroker broker, ITestOutputHelper output)
{
    public static TheoryData<string, byte[]> Cases => new()
    {
        { "malformed-json", "{\"message_id\": \"m\", \"data\": [0.1"u8.ToArray() },
        { "invalid-utf8", [.. "{\"message_id\": \"\u00ff"u8, 0xC3, 0x28, .. "\", \"data\": [1]}"u8] },
        { "not-an-object", "[0.1, 0.2]"u8.ToArray() },
        { "missing-message-id", "{\"data\": [0.1]}"u8.ToArray() },
        { "invalid-message-id", "{\"message_id\": 7, \"data\": [0.1]}"u8.ToArray() },
        { "missing-data", "{\"message_id\": \"m\"}"u8.ToArray() },
        { "invalid-data", "{\"message_id\": \"m\", \"data\": {\"x\": 1}}"u8.ToArray() },
        { "invalid-data", "{\"message_id\": \"m\", \"data\": [0.1, \"two\"]}"u8.ToArray() },
        { "non-finite-value", "{\"message_id\": \"m\", \"data\": [1e999]}"u8.ToArray() },
        { "too-many-values", Encoding.UTF8.GetBytes($"{{\"message_id\": \"m\", \"data\": [{string.Join(',', Enumerable.Repeat("0.5", 11))}]}}") },
        { "body-too-large", Encoding.UTF8.GetBytes($"{{\"message_id\": \"m\", \"data\": [0.1], \"pad\": \"{new string('x', 2000)}\"}}") },
    };

    [Fact]
    public async Task Worker_EveryKindOfBadInput_DeadLettersEachWithItsReasonAndKeepsServing()
    {
        // Arrange
        string queue = WorkerTestSettings.NewQueueName("bad");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromMilliseconds(50));
        settings["Contract:MaxDataLength"] = "10";
        settings["Contract:MaxBodyBytes"] = "1024";
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));
        var expected = new List<string>();

        // Act
        foreach (object[] badCase in Cases)
        {
            expected.Add((string)badCase[0]);
            await client.PublishRawAsync((byte[])badCase[1], new BasicProperties { ReplyTo = client.ResponseQueue, CorrelationId = $"bad-{expected.Count}", Persistent = true });
        }

        // An unknown extra field is accepted; valid requests after the bad ones are still served.
        await client.PublishRawAsync("{\"message_id\": \"extra\", \"data\": [3.0, 4.0], \"tenant\": \"t1\"}"u8.ToArray(), new BasicProperties { ReplyTo = client.ResponseQueue, CorrelationId = "extra" });
        client.Sent["extra"] = [3.0, 4.0];
        await client.PublishAsync(20);
        bool replied = await client.WaitForRepliesAsync(TimeSpan.FromSeconds(30));
        await QueueReader.WaitForReadyAsync(broker, $"{queue}.dead", expected.Count, TimeSpan.FromSeconds(30));
        List<DeadLetter> deadLetters = await QueueReader.DrainAsync(broker, $"{queue}.dead");
        output.WriteLine($"bad input: published {expected.Count} bad + {client.Sent.Count} good, replied {client.Replies.Count}, dead-lettered {deadLetters.Count}: {string.Join(", ", deadLetters.Select(d => d.Header("x-dead-letter-reason")))}");

        // Assert
        Assert.True(replied);
        Assert.Contains("\"processed_data\":\"50000.0\"", client.Replies["extra"].Json, StringComparison.Ordinal);
        Assert.Equal(expected.Order(), deadLetters.Select(d => d.Header("x-dead-letter-reason")!).Order());
        Assert.All(deadLetters, d =>
        {
            Assert.Equal(queue, d.Header("x-original-queue"));
            Assert.True(double.Parse(d.Header("x-dead-lettered-at")!, System.Globalization.CultureInfo.InvariantCulture) > 1.7e9);
            Assert.Equal(client.ResponseQueue, d.ReplyTo);
            Assert.StartsWith("bad-", d.CorrelationId, StringComparison.Ordinal);
        });
        Assert.False(worker.HasExited);
        Assert.DoesNotContain(worker.Lines, line => line.Contains("xxxxxxxx", StringComparison.Ordinal)); // bodies are never logged
        Assert.Equal(expected.Count, worker.Lines.Count(line => line.Contains("Request rejected", StringComparison.Ordinal)));
        Assert.Equal((0L, 0L), await broker.QueueCountsAsync(queue));
    }

    [Fact]
    public async Task Worker_RequestWithoutReplyTo_DeadLettersItWithItsResult()
    {
        // Arrange
        string queue = WorkerTestSettings.NewQueueName("noreply");
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromMilliseconds(50)));
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));

        // Act
        await client.PublishRawAsync("{\"message_id\": \"orphan\", \"data\": [3.0, 4.0]}"u8.ToArray(), new BasicProperties { CorrelationId = "orphan" });
        await QueueReader.WaitForReadyAsync(broker, $"{queue}.dead", 1, TimeSpan.FromSeconds(30));
        DeadLetter deadLetter = Assert.Single(await QueueReader.DrainAsync(broker, $"{queue}.dead"));

        // Assert
        Assert.Equal("missing-reply-to", deadLetter.Header("x-dead-letter-reason"));
        Assert.Contains("\"processed_data\":\"50000.0\"", deadLetter.Header("x-result"), StringComparison.Ordinal);
        Assert.Equal("orphan", deadLetter.CorrelationId);
    }

    [Fact]
    public async Task Worker_RequestWithoutReplyToAndDefaultReplyQueue_RepliesThere()
    {
        // Arrange
        string queue = WorkerTestSettings.NewQueueName("default-reply");
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromMilliseconds(50));
        settings["Reply:DefaultReplyQueue"] = client.ResponseQueue;
        client.Sent["orphan"] = [1.0];
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));

        // Act
        await client.PublishRawAsync("{\"message_id\": \"orphan\", \"data\": [1.0]}"u8.ToArray(), new BasicProperties { CorrelationId = "orphan" });
        bool replied = await client.WaitForRepliesAsync(TimeSpan.FromSeconds(30));

        // Assert
        Assert.True(replied);
        Assert.Contains("\"processed_data\":\"10000.000000018848\"", client.Replies["orphan"].Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_ReplyQueueDoesNotExist_DeadLettersAsUnroutableWithoutCrashLoop()
    {
        // Arrange
        string queue = WorkerTestSettings.NewQueueName("unroutable");
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromMilliseconds(50)));
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));

        // Act
        for (int i = 0; i < 5; i++)
        {
            await client.PublishRawAsync(Encoding.UTF8.GetBytes($"{{\"message_id\": \"gone-{i}\", \"data\": [0.5]}}"), new BasicProperties { ReplyTo = "no.such.queue", CorrelationId = $"gone-{i}" });
        }

        await client.PublishAsync(10);
        bool replied = await client.WaitForRepliesAsync(TimeSpan.FromSeconds(30));
        await QueueReader.WaitForReadyAsync(broker, $"{queue}.dead", 5, TimeSpan.FromSeconds(30));
        List<DeadLetter> deadLetters = await QueueReader.DrainAsync(broker, $"{queue}.dead");

        // Assert
        Assert.True(replied);
        Assert.Equal(5, deadLetters.Count);
        Assert.All(deadLetters, d => Assert.Equal("reply-unroutable", d.Header("x-dead-letter-reason")));
        Assert.All(deadLetters, d => Assert.Contains("\"result\"", d.Header("x-result"), StringComparison.Ordinal));
        Assert.False(worker.HasExited);
    }

    [Fact]
    public async Task Worker_ErrorRepliesOn_TellsTheRequesterWhy()
    {
        // Arrange
        string queue = WorkerTestSettings.NewQueueName("error-reply");
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromMilliseconds(50));
        settings["Reply:ErrorReplies"] = "true";
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));
        await using IConnection connection = await broker.ConnectAsync();
        await using IChannel channel = await connection.CreateChannelAsync();
        string errors = (await channel.QueueDeclareAsync(exclusive: true)).QueueName;

        // Act
        await client.PublishRawAsync("{\"message_id\": 12}"u8.ToArray(), new BasicProperties { ReplyTo = errors, CorrelationId = "c-12" });
        BasicGetResult? reply = null;
        for (int i = 0; i < 100 && reply is null; i++)
        {
            reply = await channel.BasicGetAsync(errors, autoAck: true);
            await Task.Delay(100);
        }

        // Assert
        Assert.NotNull(reply);
        Assert.Equal("c-12", reply.BasicProperties.CorrelationId);
        Assert.Equal("{\"error\":{\"reason\":\"invalid-message-id\",\"dead_letter_queue\":\"" + queue + ".dead\"}}", Encoding.UTF8.GetString(reply.Body.Span));
    }
}
