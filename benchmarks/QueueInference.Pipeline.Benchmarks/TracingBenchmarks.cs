using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using OpenTelemetry;
using OpenTelemetry.Trace;
using QueueInference.Pipeline.Observability;
using QueueInference.Pipeline.Processing;
using RabbitMQ.Client;

namespace QueueInference.Pipeline.Benchmarks;

/// <summary>
/// The tracing calls one request makes on the worker's path (its span, six stage spans, the reply's span and
/// headers, the end), with nothing listening and with the OpenTelemetry SDK sampling everything or 1 %. Spans go to
/// an exporter that drops them, so this is the hot path's share; exporting (OTLP serialization) runs on the SDK's
/// own thread and is in <c>qi bench</c>'s CPU per message instead.
/// </summary>
[MemoryDiagnoser]
public class TracingBenchmarks : IDisposable
{
    private readonly BasicProperties _untraced = new() { CorrelationId = "6f1c2a9e-1b7e-4c1e-9d59-3f0e1d2c4b5a", ReplyTo = "amq.gen-reply" };
    private readonly BasicProperties _traced = new()
    {
        CorrelationId = "6f1c2a9e-1b7e-4c1e-9d59-3f0e1d2c4b5a",
        ReplyTo = "amq.gen-reply",
        Headers = new Dictionary<string, object?> { [TraceContextHeaders.TraceParent] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"u8.ToArray() },
    };

    private TracerProvider? _provider;

    /// <summary>off: no listener; all: parent-based always-on; 1%: parent-based trace-id ratio 0.01.</summary>
    [Params("off", "all", "1%")]
    public string Sampling { get; set; } = "off";

    /// <summary>Whether the request carries a sampled requester's traceparent (it then decides, whatever the ratio).</summary>
    [Params(false, true)]
    public bool RequestTraced { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _provider = Sampling switch
        {
            "all" => Sdk.CreateTracerProviderBuilder().AddSource(PipelineTracing.SourceName).AddProcessor(new BatchActivityExportProcessor(new DroppingExporter())).Build(),
            "1%" => Sdk.CreateTracerProviderBuilder().AddSource(PipelineTracing.SourceName).SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(0.01)))
                .AddProcessor(new BatchActivityExportProcessor(new DroppingExporter())).Build(),
            _ => null,
        };
    }

    [GlobalCleanup]
    public void Cleanup() => Dispose();

    public void Dispose()
    {
        _provider?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public object? OneRequest()
    {
        BasicProperties properties = RequestTraced ? _traced : _untraced;
        Activity? trace = PipelineTracing.StartProcess(properties, "request_queue", DateTimeOffset.UtcNow, 120);
        var message = new InboundMessage(ReadOnlyMemory<byte>.Empty, properties, DateTimeOffset.UtcNow, "request_queue", null, trace);
        long t = Stopwatch.GetTimestamp();
        PipelineTracing.Stage(message.Trace, PipelineMetrics.Stages.Io, t, t + 10);
        PipelineTracing.Stage(message.Trace, PipelineMetrics.Stages.ComputeWait, t + 10, t + 20);
        PipelineTracing.Stage(message.Trace, PipelineMetrics.Stages.Transformation, t + 20, t + 30);
        PipelineTracing.Stage(message.Trace, PipelineMetrics.Stages.Inference, t + 30, t + 40, 1);
        Activity? reply = PipelineTracing.StartReply(message.Trace);
        Dictionary<string, object?>? headers = TraceContextHeaders.ForReply(message.Properties, reply ?? message.Trace);
        PipelineTracing.End(reply);
        PipelineTracing.Stage(message.Trace, PipelineMetrics.Stages.Ack, t + 50, t + 60);
        PipelineTracing.End(message.Trace);
        return headers;
    }

    private sealed class DroppingExporter : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch) => ExportResult.Success;
    }
}
