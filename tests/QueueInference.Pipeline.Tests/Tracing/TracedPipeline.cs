using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QueueInference.Pipeline.Messaging;
using QueueInference.Pipeline.Observability;
using QueueInference.Pipeline.Processing;
using RabbitMQ.Client;

namespace QueueInference.Pipeline.Tests.Tracing;

/// <summary>
/// The pipeline as <see cref="PipelineHostBuilderExtensions.AddInferencePipeline"/> registers it (the repo's model, no
/// I/O delay), with the broker's publish replaced by a <see cref="RecordingPublisher"/>; hands requests over as the
/// worker's consumer does, with the attempt's span.
/// </summary>
internal sealed class TracedPipeline : IDisposable
{
    public const string Queue = "request_queue";

    private readonly IHost _host;

    public TracedPipeline()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["IoStep:Delay"] = "0",
            ["Inference:ModelPath"] = "models/model.onnx",
            ["Pipeline:ComputeThreads"] = "1",
        });
        builder.AddInferencePipeline();
        builder.Services.AddSingleton<IMessagePublisher>(Publisher);
        _host = builder.Build();
        Pipeline = _host.Services.GetRequiredService<InferencePipeline>();
    }

    public RecordingPublisher Publisher { get; } = new();

    public InferencePipeline Pipeline { get; }

    /// <summary>A seed request as the seed's client sends it (persistent, reply_to, correlation_id), with these headers.</summary>
    public static (byte[] Body, BasicProperties Properties) SeedRequest(string messageId, IDictionary<string, object?>? headers) =>
        (Encoding.UTF8.GetBytes($$"""{"message_id": "{{messageId}}", "data": [1.0, 2.0, 3.0, 4.0, 5.0], "send_timestamp": 1700000000.5}"""),
         new BasicProperties { DeliveryMode = DeliveryModes.Persistent, ReplyTo = "amq.gen-reply", CorrelationId = messageId, Headers = headers });

    /// <summary>Processes one request as the worker does: the attempt's span from its headers, ended once it settled.</summary>
    public async Task<ProcessingOutcome> ProcessAsync(byte[] body, BasicProperties properties)
    {
        DateTimeOffset pickedUp = DateTimeOffset.UtcNow;
        System.Diagnostics.Activity? trace = PipelineTracing.StartProcess(properties, Queue, pickedUp, body.Length);
        try
        {
            return await Pipeline.ProcessAsync(new InboundMessage(body, properties, pickedUp, Queue, Trace: trace), CancellationToken.None);
        }
        finally
        {
            PipelineTracing.End(trace);
        }
    }

    public void Dispose() => _host.Dispose();
}
