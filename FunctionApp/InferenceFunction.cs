using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Messaging;
using QueueInference.Pipeline.Observability;
using QueueInference.Pipeline.Processing;

namespace QueueInference.FunctionApp;

/// <summary>
/// The Functions adapter over <see cref="InferencePipeline"/>. The pipeline publishes the reply itself, to the
/// request's reply_to with its correlation_id: the RabbitMQ output binding can set neither per message.
/// </summary>
public sealed class InferenceFunction(InferencePipeline pipeline, TimeProvider timeProvider, IOptions<RabbitMQOptions> rabbitOptions)
{
    private readonly string _requestQueue = rabbitOptions.Value.RequestQueues[0];

    /// <summary>
    /// Returning normally (Replied or DeadLettered: the broker holds the outcome) lets the host ack. Throwing makes
    /// the host republish the request with x-ms-rabbitmq-requeuecount + 1, or reject it at the 5th failure
    /// (docs/functions.md, "Failures").
    /// </summary>
    /// <remarks>
    /// The host resolves %RabbitMQ:RequestQueue% and the connection setting through its IConfiguration, so the
    /// worker host's names (environment RabbitMQ__RequestQueue, RabbitMQ__ConnectionString) serve both hosts.
    /// </remarks>
    [Function("Inference")]
    public async Task RunAsync(
        [RabbitMQTrigger("%RabbitMQ:RequestQueue%", ConnectionStringSetting = "RabbitMQ:ConnectionString")] byte[] body,
        FunctionContext context,
        CancellationToken cancellationToken)
    {
        DateTimeOffset pickedUp = timeProvider.GetUtcNow();
        RabbitMQ.Client.IReadOnlyBasicProperties properties = TriggerProperties.Read(context.BindingContext.BindingData);
        // The requester's trace context from the message headers, else the invocation's span, is the parent.
        Activity? trace = PipelineTracing.StartProcess(properties, _requestQueue, pickedUp, body.Length);
        try
        {
            await pipeline.ProcessAsync(new InboundMessage(body, properties, pickedUp, Trace: trace), cancellationToken);
        }
        catch (Exception ex)
        {
            PipelineTracing.Failed(trace, ex);
            throw;
        }
        finally
        {
            PipelineTracing.End(trace);
        }
    }
}
