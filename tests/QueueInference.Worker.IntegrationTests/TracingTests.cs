using System.Text;
using System.Text.RegularExpressions;
using QueueInference.Testing;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace QueueInference.Worker.IntegrationTests;

/// <summary>
/// Trace context through a real broker and the worker process: the reply's headers on the wire, and the worker's
/// spans as OpenTelemetry's console exporter prints them (<c>OTEL_TRACES_EXPORTER=console</c>). No OTLP receiver
/// runs here (no collector or tracing backend can be installed on this machine), so the OTLP exporter itself is not
/// exercised end to end.
/// </summary>
[Collection(SharedBroker.Name)]
public sealed partial class TracingTests(TestBroker broker, ITestOutputHelper output)
{
    private const string RequesterTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string RequesterSpanId = "00f067aa0ba902b7";
    private const string RequesterTraceParent = $"00-{RequesterTraceId}-{RequesterSpanId}-01";

    /// <summary>The header RabbitMQ.Client adds to every message published on a channel with confirm tracking: replies always carried it.</summary>
    private const string ClientSequenceHeader = "x-dotnet-pub-seq-no";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Reply_TracedAndUntracedSeedRequests_TracedGetsTraceparentUntracedGetsNoNewHeader(bool tracing)
    {
        // Arrange
        string queue = WorkerTestSettings.NewQueueName("tracing");
        string replies = $"{queue}.replies";
        Dictionary<string, string> settings = WorkerTestSettings.For(broker.AmqpUrl, queue, TimeSpan.FromMilliseconds(100));
        if (tracing)
        {
            settings["OTEL_TRACES_EXPORTER"] = "console";
        }

        await using IConnection connection = await broker.ConnectAsync("tracing-test");
        await using IChannel channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueDeclareAsync(replies, durable: false, exclusive: false, autoDelete: false);
        await using var worker = WorkerProcess.Start(RepositoryPaths.Worker, settings);
        await worker.WaitForLineAsync(WorkerProcess.ConsumingMarker, TimeSpan.FromSeconds(30));

        // Act: as the seed's client sends them, one with W3C context in its headers (a string, as RabbitMQ.Client writes it).
        await PublishSeedRequestAsync(channel, queue, replies, "traced", new Dictionary<string, object?> { ["traceparent"] = RequesterTraceParent });
        await PublishSeedRequestAsync(channel, queue, replies, "plain", headers: null);
        await QueueReader.WaitForReadyAsync(broker, replies, 2, TimeSpan.FromSeconds(30));
        Dictionary<string, DeadLetter> received = (await QueueReader.DrainAsync(broker, replies)).ToDictionary(r => r.CorrelationId!);

        // Assert: the untraced reply has exactly the headers replies always had; the traced one adds traceparent alone.
        Assert.Equal([ClientSequenceHeader], received["plain"].Headers.Keys);
        Assert.Equal(["traceparent", ClientSequenceHeader], received["traced"].Headers.Keys.Order(StringComparer.Ordinal));
        string replyTraceParent = Encoding.UTF8.GetString((byte[])received["traced"].Headers["traceparent"]!);
        output.WriteLine($"request traceparent {RequesterTraceParent}, reply traceparent {replyTraceParent}");
        if (!tracing)
        {
            // No span of ours: the requester's context comes back as it was sent.
            Assert.Equal(RequesterTraceParent, replyTraceParent);
            Assert.DoesNotContain("Activity.TraceId", worker.Output, StringComparison.Ordinal);
            return;
        }

        Match parent = TraceParentPattern().Match(replyTraceParent);
        Assert.True(parent.Success, replyTraceParent);
        Assert.Equal(RequesterTraceId, parent.Groups["trace"].Value);
        IReadOnlyList<ConsoleSpan> spans = await WaitForSpansAsync(worker, RequesterTraceId, $"process {queue}");
        output.WriteLine(ConsoleSpan.Tree(spans, RequesterSpanId));
        ConsoleSpan process = Assert.Single(spans, s => s.ParentSpanId == RequesterSpanId);
        Assert.Equal($"process {queue}", process.Name);
        ConsoleSpan[] stages = [.. spans.Where(s => s.ParentSpanId == process.SpanId)];
        Assert.Equal(["ack", "compute_wait", "inference", "io", "reply", "transformation"], stages.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.Equal(stages.Single(s => s.Name == "reply").SpanId, parent.Groups["span"].Value);
    }

    private static async Task PublishSeedRequestAsync(IChannel channel, string queue, string replyTo, string id, Dictionary<string, object?>? headers)
    {
        byte[] body = Encoding.UTF8.GetBytes($$"""{"message_id": "{{id}}", "data": [1.0, 2.0, 3.0, 4.0, 5.0], "send_timestamp": {{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0}}}""");
        await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, new BasicProperties { Persistent = true, ReplyTo = replyTo, CorrelationId = id, Headers = headers }, body);
    }

    /// <summary>The worker prints a span when it ends; the process span ends last, after the ack.</summary>
    private static async Task<IReadOnlyList<ConsoleSpan>> WaitForSpansAsync(WorkerProcess worker, string traceId, string lastSpan)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            IReadOnlyList<ConsoleSpan> spans = [.. ConsoleSpan.Parse(worker.Lines).Where(s => s.TraceId == traceId)];
            if (spans.Any(s => s.Name == lastSpan) || DateTime.UtcNow > deadline)
            {
                return spans;
            }

            await Task.Delay(100);
        }
    }

    [GeneratedRegex("^00-(?<trace>[0-9a-f]{32})-(?<span>[0-9a-f]{16})-01$")]
    private static partial Regex TraceParentPattern();

    /// <summary>One span as OpenTelemetry's console exporter prints it (a block of <c>Activity.Name: value</c> lines).</summary>
    private sealed partial record ConsoleSpan(string TraceId, string SpanId, string ParentSpanId, string Name, string Kind, string Duration)
    {
        public static IEnumerable<ConsoleSpan> Parse(IEnumerable<string> lines)
        {
            Dictionary<string, string>? fields = null;
            foreach (string line in lines.ToArray())
            {
                Match field = FieldPattern().Match(line);
                if (!field.Success)
                {
                    continue;
                }

                if (field.Groups["name"].Value == "TraceId")
                {
                    if (From(fields) is { } previous)
                    {
                        yield return previous;
                    }

                    fields = [];
                }

                fields?.TryAdd(field.Groups["name"].Value, field.Groups["value"].Value.Trim());
            }

            if (From(fields) is { } last)
            {
                yield return last;
            }
        }

        public static string Tree(IReadOnlyList<ConsoleSpan> spans, string root)
        {
            var text = new StringBuilder($"requester span {root}{Environment.NewLine}");
            Append(text, spans, root, 1);
            return text.ToString();
        }

        private static void Append(StringBuilder text, IReadOnlyList<ConsoleSpan> spans, string parent, int depth)
        {
            foreach (ConsoleSpan span in spans.Where(s => s.ParentSpanId == parent))
            {
                text.AppendLine($"{new string(' ', depth * 2)}└─ {span.Name} [{span.Kind}] span {span.SpanId}, {span.Duration}");
                Append(text, spans, span.SpanId, depth + 1);
            }
        }

        private static ConsoleSpan? From(Dictionary<string, string>? fields) =>
            fields is not null && fields.TryGetValue("TraceId", out string? traceId) && fields.TryGetValue("SpanId", out string? spanId) && fields.TryGetValue("DisplayName", out string? name)
                ? new ConsoleSpan(traceId, spanId, fields.GetValueOrDefault("ParentSpanId", string.Empty), name, fields.GetValueOrDefault("Kind", string.Empty), fields.GetValueOrDefault("Duration", string.Empty))
                : null;

        [GeneratedRegex(@"^Activity\.(?<name>[A-Za-z]+):\s*(?<value>.*)$")]
        private static partial Regex FieldPattern();
    }
}
