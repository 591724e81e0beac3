using System.Text;
using QueueInference.Cli.Benchmarking;
using QueueInference.Cli.LoadTesting;
using QueueInference.Testing;
using RabbitMQ.Client;

namespace QueueInference.Cli.IntegrationTests.LoadTesting;

[Collection(SharedBroker.Name)]
public sealed class LoadAgainstEchoTests(TestBroker broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Publish_EchoResponding_EveryRequestRepliedOnce()
    {
        string queue = NewName("requests");
        string replies = NewName("replies");
        await BrokerChecks.EnsureRequestQueueAsync(broker.AmqpUrl, queue, declare: true, CancellationToken.None);
        await using EchoResponder echo = await EchoResponder.StartAsync(broker.AmqpUrl, queue, 500, CancellationToken.None);
        var ledger = new MessageLedger(TimeSpan.FromMinutes(5));
        await using ReplyCollector collector = await ReplyCollector.StartAsync(broker.AmqpUrl, replies, replies, ledger, CancellationToken.None);
        await using RequestPublisher publisher = await RequestPublisher.ConnectAsync(broker.AmqpUrl, queue, 2, 100, CancellationToken.None);

        await publisher.PublishAsync(new PublishSchedule(2000, null, null), queue, replies, ledger, new Random(1), CancellationToken.None);
        bool all = await collector.WaitForAllAsync(Patience, CancellationToken.None);

        Assert.True(all);
        Assert.Equal(2000, ledger.Sent);
        Assert.Equal(2000, ledger.Replied);
        Assert.Equal(0, ledger.Missing);
        Assert.Equal(0, ledger.Duplicates);
        Assert.Equal(0, publisher.Failed);
    }

    [Fact]
    public async Task Publish_NobodyConsuming_AllCountedMissing()
    {
        string queue = NewName("requests");
        string replies = NewName("replies");
        await BrokerChecks.EnsureRequestQueueAsync(broker.AmqpUrl, queue, declare: true, CancellationToken.None);
        var ledger = new MessageLedger(TimeSpan.FromMinutes(5));
        await using ReplyCollector collector = await ReplyCollector.StartAsync(broker.AmqpUrl, replies, replies, ledger, CancellationToken.None);
        await using RequestPublisher publisher = await RequestPublisher.ConnectAsync(broker.AmqpUrl, queue, 1, 10, CancellationToken.None);

        await publisher.PublishAsync(new PublishSchedule(25, null, null), queue, replies, ledger, new Random(1), CancellationToken.None);
        bool all = await collector.WaitForAllAsync(TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.False(all);
        Assert.Equal(25, ledger.Sent);
        Assert.Equal(25, ledger.Missing);
    }

    [Fact]
    public async Task Collect_SameReplyTwiceAndAForeignOne_DuplicateAndUnknownCounted()
    {
        string replies = NewName("replies");
        var ledger = new MessageLedger(TimeSpan.FromMinutes(5));
        var id = Guid.NewGuid();
        ledger.RecordSent(id, UnixTime.Now());
        await using ReplyCollector collector = await ReplyCollector.StartAsync(broker.AmqpUrl, replies, replies, ledger, CancellationToken.None);
        await using IConnection connection = await BrokerConnections.OpenAsync(broker.AmqpUrl, "test-replier", CancellationToken.None);
        await using IChannel channel = await connection.CreateChannelAsync();
        byte[] reply = EchoResponder.WriteReply(id.ToString(), UnixTime.Now(), UnixTime.Now());

        await channel.BasicPublishAsync(string.Empty, replies, reply);
        await channel.BasicPublishAsync(string.Empty, replies, reply);
        await channel.BasicPublishAsync(string.Empty, replies, EchoResponder.WriteReply(Guid.NewGuid().ToString(), 1, 2));
        await channel.BasicPublishAsync(string.Empty, replies, Encoding.UTF8.GetBytes("garbage"));
        await WaitUntilAsync(() => ledger.Duplicates + ledger.Unknown >= 3);

        Assert.Equal(1, ledger.Replied);
        Assert.Equal(1, ledger.Duplicates);
        Assert.Equal(2, ledger.Unknown);
    }

    [Fact]
    public async Task RunAsync_QueueMissing_OneErrorLineAndExitCode2()
    {
        var output = new StringWriter();
        var console = new RunConsole("qi-load", "test", output, isTerminal: false);
        var settings = new LoadSettings { ConnectionString = broker.AmqpUrl, Queue = NewName("absent"), Count = 1, OutputDirectory = Path.GetTempPath() };

        int exitCode = await LoadRunner.RunAsync(settings, console, CancellationToken.None);

        Assert.Equal(LoadRunner.ExitInputError, exitCode);
        string line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("does not exist", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_EchoAndThresholds_WritesReportsAndPasses()
    {
        string queue = NewName("requests");
        await BrokerChecks.EnsureRequestQueueAsync(broker.AmqpUrl, queue, declare: true, CancellationToken.None);
        await using EchoResponder echo = await EchoResponder.StartAsync(broker.AmqpUrl, queue, 500, CancellationToken.None);
        string directory = Path.Combine(Path.GetTempPath(), NewName("reports"));
        Assert.True(FailIfThreshold.TryParse("missing>0", out FailIfThreshold? missing, out _));
        var settings = new LoadSettings { ConnectionString = broker.AmqpUrl, Queue = queue, Count = 300, OutputDirectory = directory, FailIf = [missing!], Wait = Patience };
        var console = new RunConsole("qi-load", "it", new StringWriter(), isTerminal: false);

        int exitCode = await LoadRunner.RunAsync(settings, console, CancellationToken.None);

        Assert.Equal(LoadRunner.ExitOk, exitCode);
        foreach (string extension in new[] { "json", "md", "csv", "png" })
        {
            Assert.True(new FileInfo(Path.Combine(directory, "load-it", $"qi-load-it.{extension}")).Length > 0, extension);
        }

        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task RunAsync_MixOfSizes_EveryRequestRepliedAndTheMixInTheReport()
    {
        string queue = NewName("requests");
        await BrokerChecks.EnsureRequestQueueAsync(broker.AmqpUrl, queue, declare: true, CancellationToken.None);
        await using EchoResponder echo = await EchoResponder.StartAsync(broker.AmqpUrl, queue, 500, CancellationToken.None);
        string directory = Path.Combine(Path.GetTempPath(), NewName("reports"));
        var settings = new LoadSettings
        {
            ConnectionString = broker.AmqpUrl,
            Queue = queue,
            Count = 200,
            Values = ValueCountMix.Parse("5:1,4096:1"),
            RandomSeed = 3,
            OutputDirectory = directory,
            Wait = Patience,
        };

        int exitCode = await LoadRunner.RunAsync(settings, new RunConsole("qi-load", "mix", new StringWriter(), isTerminal: false), CancellationToken.None);

        Assert.Equal(LoadRunner.ExitOk, exitCode);
        using var report = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "load-mix", "qi-load-mix.json")));
        Assert.Equal("5:1,4096:1", report.RootElement.GetProperty("values").GetString());
        Assert.Equal(200, report.RootElement.GetProperty("summary").GetProperty("replied").GetInt64());
        Directory.Delete(directory, recursive: true);
    }

    private static string NewName(string purpose) => $"it-{purpose}-{Guid.NewGuid():N}";

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow + Patience;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }
}
