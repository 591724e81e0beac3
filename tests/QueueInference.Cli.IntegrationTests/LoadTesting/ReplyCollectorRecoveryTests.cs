using QueueInference.Cli.Benchmarking;
using QueueInference.Cli.LoadTesting;
using QueueInference.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace QueueInference.Cli.IntegrationTests.LoadTesting;

/// <summary>The blip scenarios' reply collector: it must outlive the broker's disturbances it is there to measure.</summary>
[Collection(SharedBroker.Name)]
public sealed class ReplyCollectorRecoveryTests(TestBroker broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Collect_AllConnectionsClosedMidRun_EveryReplyBookedOnceAndTheQueueRemovedAtTheEnd()
    {
        string replies = $"it-replies-{Guid.NewGuid():N}";
        var ledger = new MessageLedger(TimeSpan.FromMinutes(5));
        Guid[] ids = [.. Enumerable.Range(0, 200).Select(_ => Guid.NewGuid())];
        foreach (Guid id in ids)
        {
            ledger.RecordSent(id, UnixTime.Now());
        }

        ReplyCollector collector = await ReplyCollector.StartAsync(broker.AmqpUrl, replies, replies, ledger, survivesOutages: true, CancellationToken.None);
        await using (collector)
        {
            // 120 replies: the collector acks every 50th, so 20 are delivered but unacked when the connections close.
            await PublishRepliesAsync(replies, ids[..120]);
            await WaitUntilAsync(() => ledger.Replied == 120);

            await broker.CtlAsync("close_all_connections", "test blip");
            // Sent while the collector is away: the durable queue keeps them.
            await PublishRepliesAsync(replies, ids[120..]);
            await WaitUntilAsync(() => ledger.Replied == 200);

            Assert.Equal(200, ledger.Replied);
            Assert.Equal(0, ledger.Duplicates);
            Assert.True(ledger.Redelivered >= 20, $"the 20 unacked replies come back flagged redelivered and are recognised ({ledger.Redelivered})");
            Assert.True(collector.Recoveries >= 1);
        }

        await using IConnection connection = await broker.ConnectAsync("it-check");
        await using IChannel channel = await connection.CreateChannelAsync();
        var missing = await Assert.ThrowsAsync<OperationInterruptedException>(() => channel.QueueDeclarePassiveAsync(replies));
        Assert.Equal((ushort)404, missing.ShutdownReason?.ReplyCode);
    }

    [Fact]
    public async Task Collect_BrokerStoppedAndStarted_PersistentRepliesOnBothSidesBooked()
    {
        string replies = $"it-replies-{Guid.NewGuid():N}";
        var ledger = new MessageLedger(TimeSpan.FromMinutes(5));
        Guid[] ids = [.. Enumerable.Range(0, 100).Select(_ => Guid.NewGuid())];
        foreach (Guid id in ids)
        {
            ledger.RecordSent(id, UnixTime.Now());
        }

        await using ReplyCollector collector = await ReplyCollector.StartAsync(broker.AmqpUrl, replies, replies, ledger, survivesOutages: true, CancellationToken.None);
        await PublishRepliesAsync(replies, ids[..30]);
        await WaitUntilAsync(() => ledger.Replied == 30);

        await broker.StopAppAsync();
        await broker.StartAppAsync();
        await PublishRepliesAsync(replies, ids[30..]);
        await WaitUntilAsync(() => ledger.Replied == 100);

        Assert.Equal(100, ledger.Replied);
        Assert.Equal(0, ledger.Duplicates);
        Assert.True(collector.Recoveries >= 1);
    }

    /// <summary>Seed-format replies, persistent (as the worker sends them with Reply:Persistent), over a connection of their own.</summary>
    private async Task PublishRepliesAsync(string queue, IEnumerable<Guid> ids)
    {
        await using IConnection connection = await broker.ConnectAsync("it-replier");
        await using IChannel channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { DeliveryMode = DeliveryModes.Persistent };
        foreach (Guid id in ids)
        {
            double now = UnixTime.Now();
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, EchoResponder.WriteReply(id.ToString(), now, now));
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow + Patience;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }
}
