using QueueInference.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace QueueInference.Worker.IntegrationTests;

/// <summary>
/// The worker image's one-shot commands, run as the chart runs them: the built worker with the command as its
/// first argument (declare-request-queue for the Functions pod's init container, probe-reply for helm test).
/// </summary>
[Collection(SharedBroker.Name)]
public sealed class AppCommandsTests(TestBroker broker)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task DeclareRequestQueue_TwoPartitions_DeclaresBothAsSeedClientsDo()
    {
        // Arrange
        string first = WorkerTestSettings.NewQueueName("declare-a");
        string second = WorkerTestSettings.NewQueueName("declare-b");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, $"{first}, {second}", TimeSpan.Zero);

        // Act
        await using var command = WorkerProcess.Start(RepositoryPaths.Worker, settings, "declare-request-queue");
        int exitCode = await command.WaitForExitAsync(CommandTimeout);

        // Assert: a seed client's declare (durable, no arguments) matches; a non-durable one would not.
        Assert.True(exitCode == 0, command.Output);
        await using IConnection connection = await broker.ConnectAsync();
        foreach (string queue in new[] { first, second })
        {
            Assert.Contains(command.Lines, line => line.Contains($"{queue} is declared (durable, no arguments", StringComparison.Ordinal));
            await using (IChannel seedLike = await connection.CreateChannelAsync())
            {
                await seedLike.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: null);
            }

            await using IChannel transient = await connection.CreateChannelAsync();
            await Assert.ThrowsAsync<OperationInterruptedException>(() => transient.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false, arguments: null));
        }
    }

    [Fact]
    public async Task ProbeReply_WorkerConsumingTwoPartitions_ReportsEachReplyOk()
    {
        // Arrange
        string queues = $"{WorkerTestSettings.NewQueueName("probe-a")},{WorkerTestSettings.NewQueueName("probe-b")}";
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queues, TimeSpan.FromMilliseconds(200));
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));

        // Act
        await using var probe = WorkerProcess.Start(RepositoryPaths.Worker, settings, "probe-reply", "--timeout", "30s");
        int exitCode = await probe.WaitForExitAsync(CommandTimeout);

        // Assert
        Assert.True(exitCode == 0, probe.Output);
        Assert.Equal(2, probe.Lines.Count(line => line.Contains(": reply ok (reply_to, correlation_id, message_id, original_input, processed_data 7416.1984871113245)", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ProbeReply_NobodyConsuming_FailsNamingTheMissingReply()
    {
        // Arrange: the queue exists (declared as a seed client does) but no app consumes it.
        string queue = WorkerTestSettings.NewQueueName("probe-nobody");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.Zero);
        await using (IConnection connection = await broker.ConnectAsync())
        await using (IChannel channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: null);
        }

        // Act
        await using var probe = WorkerProcess.Start(RepositoryPaths.Worker, settings, "probe-reply", "--timeout", "2s");
        int exitCode = await probe.WaitForExitAsync(CommandTimeout);

        // Assert
        Assert.Equal(1, exitCode);
        Assert.Contains(probe.Lines, line => line.Contains($"{queue}: FAILED: no reply within 2s to seed request", StringComparison.Ordinal)
            && line.Contains($"Is the app consuming '{queue}'?", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProbeReply_QueueMissing_FailsNamingTheQueue()
    {
        // Arrange
        string queue = WorkerTestSettings.NewQueueName("probe-missing");
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.Zero);

        // Act
        await using var probe = WorkerProcess.Start(RepositoryPaths.Worker, settings, "probe-reply", "--timeout", "00:00:05");
        int exitCode = await probe.WaitForExitAsync(CommandTimeout);

        // Assert
        Assert.Equal(1, exitCode);
        Assert.Contains(probe.Lines, line => line.Contains($"{queue}: FAILED: no queue named '{queue}' on the broker", StringComparison.Ordinal));
    }
}
