using System.Diagnostics;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Trace;
using QueueInference.Pipeline.Observability;
using QueueInference.Pipeline.Processing;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace QueueInference.Pipeline.Tests.Tracing;

[Collection(TracingTestGroup.Name)]
public sealed class PipelineTracingTests(ITestOutputHelper output)
{
    private const string RequesterSource = "Seed.Client";

    [Fact]
    public async Task ProcessAsync_TracedRequest_StagesAreChildrenOfTheRequestersSpanAndTheReplyCarriesTheReplySpan()
    {
        // Arrange: a requester's span, propagated as RabbitMQ.Client writes it (the header arrives as bytes).
        var exported = new List<Activity>();
        using TracerProvider provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(RequesterSource, PipelineTracing.SourceName)
            .AddInMemoryExporter(exported)
            .Build();
        using var requesterSource = new ActivitySource(RequesterSource);
        using var pipeline = new TracedPipeline();
        ActivityContext requester;
        using (Activity send = requesterSource.StartActivity("send request_queue", ActivityKind.Producer)!)
        {
            send.TraceStateString = "vendor=abc";
            requester = send.Context;
        }

        (byte[] body, BasicProperties properties) = TracedPipeline.SeedRequest("m-traced", new Dictionary<string, object?>
        {
            [TraceContextHeaders.TraceParent] = Encoding.UTF8.GetBytes($"00-{requester.TraceId}-{requester.SpanId}-01"),
            [TraceContextHeaders.TraceState] = Encoding.UTF8.GetBytes("vendor=abc"),
        });

        // Act
        ProcessingOutcome outcome = await pipeline.ProcessAsync(body, properties);
        provider.ForceFlush();

        // Assert: process span under the requester's, every stage under it, in order.
        Assert.Equal(ProcessingStatus.Replied, outcome.Status);
        Activity[] trace = [.. exported.Where(a => a.TraceId == requester.TraceId && a.Source.Name == PipelineTracing.SourceName).OrderBy(a => a.StartTimeUtc)];
        output.WriteLine(SpanTree.Print(trace, requester.SpanId));
        Activity process = Assert.Single(trace, a => a.ParentSpanId == requester.SpanId);
        Assert.Equal("process request_queue", process.DisplayName);
        Assert.Equal(ActivityKind.Consumer, process.Kind);
        Assert.True(process.HasRemoteParent);
        Assert.Equal("m-traced", process.GetTagItem("messaging.message.conversation_id"));
        Assert.Equal(1, process.GetTagItem("queueinference.attempt"));
        Activity[] stages = [.. trace.Where(a => a.ParentSpanId == process.SpanId)];
        Assert.Equal(["io", "compute_wait", "transformation", "inference", "reply"], stages.Select(s => s.DisplayName));
        Assert.Equal(trace.Length, stages.Length + 1);
        Assert.All(stages, s => Assert.InRange(s.StartTimeUtc, process.StartTimeUtc, process.StartTimeUtc + process.Duration));
        Assert.Equal(1, stages[3].GetTagItem("queueinference.batch.size"));
        Activity reply = stages[4];
        Assert.Equal(ActivityKind.Producer, reply.Kind);

        // The reply: the seed's properties plus the reply span's context, and the requester's tracestate.
        (string routingKey, BasicProperties replyProperties, _) = Assert.Single(pipeline.Publisher.Published);
        Assert.Equal("amq.gen-reply", routingKey);
        Assert.Equal("m-traced", replyProperties.CorrelationId);
        Assert.Equal(
            new Dictionary<string, object?> { ["traceparent"] = $"00-{requester.TraceId}-{reply.SpanId}-01", ["tracestate"] = "vendor=abc" },
            replyProperties.Headers);
    }

    [Fact]
    public async Task ProcessAsync_UntracedRequestWhileTracing_ReplyHasTheSeedPropertiesAndNoHeaders()
    {
        // Arrange: tracing on (a listener samples everything), the seed's request without headers.
        var exported = new List<Activity>();
        using TracerProvider provider = Sdk.CreateTracerProviderBuilder().AddSource(PipelineTracing.SourceName).AddInMemoryExporter(exported).Build();
        using var pipeline = new TracedPipeline();
        (byte[] body, BasicProperties properties) = TracedPipeline.SeedRequest("m-plain", headers: null);

        // Act
        ProcessingOutcome outcome = await pipeline.ProcessAsync(body, properties);
        provider.ForceFlush();

        // Assert: the request got a trace of its own, its reply nothing new.
        Assert.Equal(ProcessingStatus.Replied, outcome.Status);
        Activity process = Assert.Single(exported, a => a.DisplayName == "process request_queue" && (string?)a.GetTagItem("messaging.message.conversation_id") == "m-plain");
        Assert.Equal(default, process.ParentSpanId);
        AssertSeedReplyProperties(Assert.Single(pipeline.Publisher.Published).Properties, "m-plain");
    }

    [Fact]
    public async Task ProcessAsync_TracedRequestWithTracingOff_ReplyEchoesTheRequestersContext()
    {
        // Arrange: no listener, so no span is made.
        using var pipeline = new TracedPipeline();
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        (byte[] body, BasicProperties properties) = TracedPipeline.SeedRequest("m-off", new Dictionary<string, object?> { [TraceContextHeaders.TraceParent] = Encoding.UTF8.GetBytes(traceParent) });

        // Act
        ProcessingOutcome outcome = await pipeline.ProcessAsync(body, properties);

        // Assert
        Assert.False(PipelineTracing.IsListened);
        Assert.Equal(ProcessingStatus.Replied, outcome.Status);
        Assert.Equal(new Dictionary<string, object?> { ["traceparent"] = traceParent }, Assert.Single(pipeline.Publisher.Published).Properties.Headers);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ProcessAsync_UntracedOrMalformedContext_ReplyHasTheSeedPropertiesAndNoHeaders(bool tracing)
    {
        // Arrange: other headers, and a traceparent that is not W3C.
        var exported = new List<Activity>();
        using TracerProvider? provider = tracing ? Sdk.CreateTracerProviderBuilder().AddSource(PipelineTracing.SourceName).AddInMemoryExporter(exported).Build() : null;
        using var pipeline = new TracedPipeline();
        (byte[] body, BasicProperties properties) = TracedPipeline.SeedRequest("m-odd", new Dictionary<string, object?> { ["x-app"] = 1, [TraceContextHeaders.TraceParent] = Encoding.UTF8.GetBytes("not-a-traceparent") });

        // Act
        ProcessingOutcome outcome = await pipeline.ProcessAsync(body, properties);

        // Assert
        Assert.Equal(ProcessingStatus.Replied, outcome.Status);
        AssertSeedReplyProperties(Assert.Single(pipeline.Publisher.Published).Properties, "m-odd");
    }

    [Fact]
    public void DeadLettered_SampledSpan_RecordsTheReasonAndAnErrorStatus()
    {
        // Arrange
        var exported = new List<Activity>();
        using TracerProvider provider = Sdk.CreateTracerProviderBuilder().AddSource(PipelineTracing.SourceName).AddInMemoryExporter(exported).Build();
        Activity? span = PipelineTracing.StartProcess(new BasicProperties(), TracedPipeline.Queue, DateTimeOffset.UtcNow, 3);

        // Act
        PipelineTracing.DeadLettered(span, "malformed-json");
        PipelineTracing.End(span);
        provider.ForceFlush();

        // Assert
        Activity process = Assert.Single(exported);
        Assert.Equal(ActivityStatusCode.Error, process.Status);
        ActivityEvent deadLettered = Assert.Single(process.Events);
        Assert.Equal("dead_lettered", deadLettered.Name);
        Assert.Equal("malformed-json", deadLettered.Tags.Single(t => t.Key == "queueinference.dead_letter.reason").Value);
    }

    [Fact]
    public void StartProcess_NoListener_ReturnsNullAndLeavesCurrentAlone()
    {
        // Arrange
        var properties = new BasicProperties { Headers = new Dictionary<string, object?> { [TraceContextHeaders.TraceParent] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" } };

        // Act
        Activity? span = PipelineTracing.StartProcess(properties, TracedPipeline.Queue, DateTimeOffset.UtcNow, 10);

        // Assert
        Assert.Null(span);
        Assert.Null(Activity.Current);
    }

    [Fact]
    public void StartProcess_WithListener_LeavesCurrentAsItWas()
    {
        // Arrange: the consumer's dispatch loop must not carry one request's span into the next request.
        using TracerProvider provider = Sdk.CreateTracerProviderBuilder().AddSource(PipelineTracing.SourceName).Build();

        // Act
        Activity? first = PipelineTracing.StartProcess(new BasicProperties(), TracedPipeline.Queue, DateTimeOffset.UtcNow, 10);
        Activity? current = Activity.Current;
        Activity? second = PipelineTracing.StartProcess(new BasicProperties(), TracedPipeline.Queue, DateTimeOffset.UtcNow, 10);
        PipelineTracing.Stage(first, "io", Stopwatch.GetTimestamp(), Stopwatch.GetTimestamp());
        PipelineTracing.End(first);
        PipelineTracing.End(second);

        // Assert
        Assert.Null(current);
        Assert.Null(Activity.Current);
        Assert.NotEqual(first!.TraceId, second!.TraceId);
    }

    private static void AssertSeedReplyProperties(BasicProperties reply, string correlationId)
    {
        // Exactly what the reply carried before tracing: correlation id, content type, delivery mode, and no headers
        // (the client adds its own publish sequence number header on the wire, as it always did).
        Assert.Equal(correlationId, reply.CorrelationId);
        Assert.Equal("application/json", reply.ContentType);
        Assert.False(reply.IsHeadersPresent());
        Assert.Null(reply.Headers);
        Assert.Equal(new BasicProperties { CorrelationId = correlationId, ContentType = "application/json", Persistent = reply.Persistent }.ToString(), reply.ToString());
    }
}
