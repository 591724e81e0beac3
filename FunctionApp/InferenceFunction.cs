using Microsoft.Azure.Functions.Worker;
using QueueInference.Pipeline.Processing;

namespace QueueInference.FunctionApp;

/// <summary>
/// The Functions adapter over <see cref="InferencePipeline"/>. The pipeline publishes the reply itself, to the
/// request's reply_to with its correlation_id: the RabbitMQ output binding can set neither per message.
/// </summary>
public sealed class InferenceFunction(InferencePipeline pipeline, TimeProvider timeProvider)
{
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
        var message = new InboundMessage(body, TriggerProperties.Read(context.BindingContext.BindingData), timeProvider.GetUtcNow());
        await pipeline.ProcessAsync(message, cancellationToken);
    }
}
