using System.Text;
using QueueInference.Testing;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace QueueInference.Worker.IntegrationTests;

[Collection(SharedBroker.Name)]
public sealed class FaultTests(TestBroker broker, ITestOutputHelper output)
{
    [Fact]
    public async Task FailingIoStep_RetriedToExhaustion_DeadLettersWithLastError()
    {
        // Arrange
        const int count = 50;
        string queue = WorkerTestSettings.NewQueueName("exhausted");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromMilliseconds(20));
        settings["IoStep:FailureRate"] = "1";
        settings["Retry:MaxAttempts"] = "3";
        settings["Retry:InitialDelay"] = "00:00:00.100";
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));

        // Act
        await client.PublishAsync(count);
        await QueueReader.WaitForReadyAsync(broker, $"{queue}.dead", count, TimeSpan.FromSeconds(30));
        List<DeadLetter> deadLetters = await QueueReader.DrainAsync(broker, $"{queue}.dead");

        output.WriteLine($"retries to exhaustion: published {count}, replied {client.Replies.Count}, dead-lettered {deadLetters.Count}");

        // Assert: published = replied + dead-lettered, every attempt accounted for.
        Assert.Equal(count, deadLetters.Count);
        Assert.Empty(client.Replies);
        Assert.Equal(client.Sent.Keys.Order(), deadLetters.Select(d => d.CorrelationId!).Order());
        Assert.All(deadLetters, d =>
        {
            Assert.Equal("retries-exhausted", d.Header("x-dead-letter-reason"));
            Assert.Equal("2", d.Header("x-retry-attempts"));
            Assert.Contains("Simulated I/O failure", d.Header("x-last-error"), StringComparison.Ordinal);
        });
        Assert.Equal((0L, 0L), await broker.QueueCountsAsync($"{queue}.retry.100"));
        Assert.Equal((0L, 0L), await broker.QueueCountsAsync($"{queue}.retry.200"));
        Assert.Equal((0L, 0L), await broker.QueueCountsAsync(queue));
    }

    [Fact]
    public async Task PartlyFailingIoStep_EveryRequestEndsRepliedOrDeadLettered()
    {
        // Arrange: 30% of attempts fail; with 4 attempts about 1% of requests exhaust them.
        const int count = 500;
        string queue = WorkerTestSettings.NewQueueName("flaky");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromMilliseconds(20));
        settings["IoStep:FailureRate"] = "0.3";
        settings["Retry:MaxAttempts"] = "4";
        settings["Retry:InitialDelay"] = "00:00:00.050";
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));

        // Act
        await client.PublishAsync(count);
        var deadLetters = new List<DeadLetter>();
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (client.Replies.Count + deadLetters.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            deadLetters.AddRange(await QueueReader.DrainAsync(broker, $"{queue}.dead"));
        }

        await client.WaitForQuietAsync(TimeSpan.FromMilliseconds(500));
        output.WriteLine($"30% failing I/O: published {count}, replied {client.Replies.Count}, dead-lettered {deadLetters.Count}, duplicates {client.Duplicates}");

        // Assert
        Assert.Equal(count, client.Replies.Count + deadLetters.Count);
        Assert.Empty(client.Replies.Keys.Intersect(deadLetters.Select(d => d.CorrelationId!)));
        Assert.Equal(0, client.Duplicates);
        Assert.InRange(client.Replies.Count, count * 9 / 10, count);
        Assert.Contains(worker.Lines, line => line.Contains("Attempt failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StageSlowerThanMessageTimeout_TimesOutAndIsRetriedThenDeadLettered()
    {
        // Arrange
        string queue = WorkerTestSettings.NewQueueName("timeout");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromSeconds(5));
        settings["Pipeline:MessageTimeout"] = "00:00:00.200";
        settings["Retry:MaxAttempts"] = "2";
        settings["Retry:InitialDelay"] = "00:00:00.050";
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));

        // Act
        await client.PublishAsync(3);
        await QueueReader.WaitForReadyAsync(broker, $"{queue}.dead", 3, TimeSpan.FromSeconds(20));
        List<DeadLetter> deadLetters = await QueueReader.DrainAsync(broker, $"{queue}.dead");
        output.WriteLine($"timeout: published 3, replied {client.Replies.Count}, dead-lettered {deadLetters.Count}");

        // Assert
        Assert.Equal(3, deadLetters.Count);
        Assert.All(deadLetters, d => Assert.StartsWith("TimeoutException", d.Header("x-last-error"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task PoisonThatKillsEveryWorker_DeadLetteredAfterMaxRedeliveries()
    {
        // Arrange: the request is in flight (a 30 s I/O step) each time its worker dies.
        string queue = WorkerTestSettings.NewQueueName("poison");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromSeconds(30));
        settings["Retry:MaxRedeliveries"] = "2";
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue);
        await client.PublishAsync(1);

        // Act: kill the worker holding it three times; the fourth worker must not get to process it.
        for (int kill = 1; kill <= 3; kill++)
        {
            await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
            await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));
            await WaitForUnackedAsync(queue, 1);
            worker.KillHard();
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        await using var survivor = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await QueueReader.WaitForReadyAsync(broker, $"{queue}.dead", 1, TimeSpan.FromSeconds(30));
        DeadLetter deadLetter = Assert.Single(await QueueReader.DrainAsync(broker, $"{queue}.dead"));
        output.WriteLine($"poison: published 1, worker killed 3 times, dead-lettered 1 ({deadLetter.Header("x-dead-letter-reason")}, x-redeliveries {deadLetter.Header("x-redeliveries")})");

        // Assert
        Assert.Equal("redelivered-too-often", deadLetter.Header("x-dead-letter-reason"));
        Assert.Equal("2", deadLetter.Header("x-redeliveries"));
        Assert.Equal(client.Sent.Keys.Single(), deadLetter.CorrelationId);
        Assert.Equal((0L, 0L), await broker.QueueCountsAsync(queue));
        Assert.False(survivor.HasExited);
    }

    [Fact]
    public async Task BrokerRestartMidRun_WorkerRecoversAndEveryRequestEndsOnce()
    {
        // Arrange
        const int count = 3000;
        string queue = WorkerTestSettings.NewQueueName("restart");
        // A durable reply queue and persistent replies, so replies waiting for the client survive the
        // restart too: this test is about the worker, not about a seed client's transient queue.
        await using var client = await SeedClient.ConnectAsync(broker.AmqpUrl, queue, $"replies.{queue}", durableResponseQueue: true);
        await client.PublishAsync(count);
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromSeconds(1), maxInFlight: 400);
        settings["Reply:Persistent"] = "true";
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await client.WaitForRepliesAsync(TimeSpan.FromSeconds(30), expected: 500);

        // Act: the broker goes away for a few seconds with requests in flight.
        await broker.StopAppAsync();
        await Task.Delay(3000);
        await broker.StartAppAsync();
        await worker.WaitForLineAsync("recovered", TimeSpan.FromSeconds(60));
        var deadLetters = new List<DeadLetter>();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (client.Replies.Count + deadLetters.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            deadLetters.AddRange(await QueueReader.DrainAsync(broker, $"{queue}.dead"));
        }

        await client.WaitForQuietAsync(TimeSpan.FromSeconds(1));
        output.WriteLine($"broker restart: published {count}, replied {client.Replies.Count}, dead-lettered {deadLetters.Count}, duplicates {client.Duplicates}");

        // Assert: replied (before or after the restart) + dead-lettered = published; duplicates only
        // for requests in flight at the restart.
        Assert.Equal(count, client.Replies.Count + deadLetters.Count);
        Assert.Empty(client.Replies.Keys.Intersect(deadLetters.Select(d => d.CorrelationId!)));
        Assert.InRange(client.Duplicates, 0, 400);
        Assert.False(worker.HasExited);
        Assert.Contains(worker.Lines, line => line.Contains("Connection lost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ModelThatDoesNotLoad_WorkerExitsNonZeroBeforeConsuming()
    {
        // Arrange
        string model = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.onnx");
        await File.WriteAllTextAsync(model, "not a model");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, WorkerTestSettings.NewQueueName("badmodel"), TimeSpan.Zero);
        settings["Inference:ModelPath"] = model;

        try
        {
            // Act
            await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
            int exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));

            // Assert
            Assert.Equal(78, exitCode); // EX_CONFIG: the setting points at something that is not a model
            Assert.Contains(worker.Lines, line => line.StartsWith($"invalid configuration: Inference:ModelPath = '{model}'", StringComparison.Ordinal)
                && line.Contains("not a model ONNX Runtime can load", StringComparison.Ordinal));
            Assert.DoesNotContain(worker.Lines, line => line.Contains(WorkerProcess.ConsumingMarker, StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(model);
        }
    }

    private async Task WaitForUnackedAsync(string queue, long unacked)
    {
        for (int i = 0; i < 200; i++)
        {
            if ((await broker.QueueCountsAsync(queue)).Unacked >= unacked)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{queue} never had {unacked} unacked message(s).");
    }
}
