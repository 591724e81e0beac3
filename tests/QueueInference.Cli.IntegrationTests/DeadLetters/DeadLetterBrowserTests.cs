using System.Text;
using QueueInference.Cli.DeadLetters;
using QueueInference.Pipeline.Messaging;
using QueueInference.Testing;
using RabbitMQ.Client;

namespace QueueInference.Cli.IntegrationTests.DeadLetters;

[Collection(SharedBroker.Name)]
public sealed class DeadLetterBrowserTests(TestBroker broker)
{
    [Fact]
    public async Task PeekAsync_ThreeDeadLetters_ListsThemAndLeavesTheQueueAsItWas()
    {
        // Arrange
        (string requests, string dead) = Names("peek");
        await using IConnection connection = await broker.ConnectAsync();
        await FillAsync(connection, requests, dead, ("malformed-json", "c1"), ("retries-exhausted", "c2"), ("retries-exhausted", "c3"));
        var browser = new DeadLetterBrowser(connection, dead);

        // Act
        List<DeadLetterEntry> first = await browser.PeekAsync(10, CancellationToken.None);
        List<DeadLetterEntry> again = await browser.PeekAsync(10, CancellationToken.None);

        // Assert
        Assert.Equal(["c1", "c2", "c3"], first.Select(e => e.Properties.CorrelationId));
        Assert.Equal(["malformed-json", "retries-exhausted", "retries-exhausted"], first.Select(e => e.Reason));
        Assert.All(first, e => Assert.Equal(requests, e.OriginalQueue));
        Assert.Equal(first.Select(e => e.Properties.CorrelationId), again.Select(e => e.Properties.CorrelationId));
        Assert.Equal(3u, await browser.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReplayAsync_ByReason_MovesOnlyThoseBackWithoutFailureHeaders()
    {
        // Arrange
        (string requests, string dead) = Names("replay");
        await using IConnection connection = await broker.ConnectAsync();
        await FillAsync(connection, requests, dead, ("malformed-json", "c1"), ("retries-exhausted", "c2"), ("retries-exhausted", "c3"));
        var browser = new DeadLetterBrowser(connection, dead);
        var replayed = new List<string>();

        // Act
        ReplaySummary summary = await browser.ReplayAsync(null, "retries-exhausted", 100, dryRun: false, (entry, _) => replayed.Add(entry.Properties.CorrelationId!), CancellationToken.None);
        List<DeadLetter> back = await QueueReader.DrainAsync(broker, requests);
        List<DeadLetterEntry> left = await browser.PeekAsync(10, CancellationToken.None);

        // Assert
        Assert.Equal(new ReplaySummary(2, 1), summary);
        Assert.Equal(["c2", "c3"], replayed);
        Assert.Equal(["c2", "c3"], back.Select(m => m.CorrelationId));
        Assert.All(back, m =>
        {
            Assert.Null(m.Header(DeadLetterHeaders.Reason));
            Assert.Null(m.Header(RetryHeaders.Attempts));
            Assert.Equal("kept", m.Header("x-tenant"));
            Assert.Equal("replies", m.ReplyTo);
            Assert.StartsWith("{\"message_id\"", m.Body, StringComparison.Ordinal);
        });
        Assert.Equal(["c1"], left.Select(e => e.Properties.CorrelationId));
    }

    [Fact]
    public async Task ReplayAsync_DryRun_ChangesNothing()
    {
        // Arrange
        (string requests, string dead) = Names("dry");
        await using IConnection connection = await broker.ConnectAsync();
        await FillAsync(connection, requests, dead, ("malformed-json", "c1"), ("retries-exhausted", "c2"));
        var browser = new DeadLetterBrowser(connection, dead);
        int shown = 0;

        // Act
        ReplaySummary summary = await browser.ReplayAsync(null, null, 100, dryRun: true, (_, _) => shown++, CancellationToken.None);

        // Assert
        Assert.Equal(new ReplaySummary(0, 2), summary);
        Assert.Equal(2, shown);
        Assert.Equal(2u, await browser.CountAsync(CancellationToken.None));
        Assert.Empty(await QueueReader.DrainAsync(broker, requests));
    }

    private static (string Requests, string Dead) Names(string test)
    {
        string requests = $"dlq-{test}-{Guid.NewGuid():N}";
        return (requests, $"{requests}.dead");
    }

    /// <summary>Dead letters as the worker writes them (DeadLetterPublisher's headers), in order.</summary>
    private static async Task FillAsync(IConnection connection, string requests, string dead, params (string Reason, string CorrelationId)[] letters)
    {
        await using IChannel channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.QueueDeclareAsync(requests, durable: true, exclusive: false, autoDelete: false, arguments: null);
        await channel.QueueDeclareAsync(dead, durable: true, exclusive: false, autoDelete: false, arguments: null);
        foreach ((string reason, string correlationId) in letters)
        {
            var properties = new BasicProperties
            {
                Persistent = true,
                CorrelationId = correlationId,
                ReplyTo = "replies",
                Headers = new Dictionary<string, object?>
                {
                    [DeadLetterHeaders.Reason] = reason,
                    [DeadLetterHeaders.OriginalQueue] = requests,
                    [DeadLetterHeaders.Timestamp] = 1763880000.5,
                    [RetryHeaders.Attempts] = 4,
                    ["x-tenant"] = "kept",
                },
            };
            await channel.BasicPublishAsync(string.Empty, dead, mandatory: true, properties, Encoding.UTF8.GetBytes($"{{\"message_id\": \"{correlationId}\", \"data\": [1]}}"));
        }
    }
}
