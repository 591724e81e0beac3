using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using QueueInference.Pipeline.Configuration;
using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Messaging;
using QueueInference.Pipeline.Stages;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace QueueInference.Pipeline.Commands;

/// <summary>
/// The <c>probe-reply</c> command (<c>helm test</c>): publishes one request in the seed's format to every
/// request queue, as a seed client does (persistent, reply_to, correlation_id = message_id), and checks the
/// reply: it arrives on that reply_to, carries the correlation_id, echoes message_id and data, and its
/// processed_data is the seed transformation of the data (not checked with Transformation:Mode=Features, whose
/// value depends on the model). Fails with the reason when a reply is missing or wrong.
/// </summary>
/// <remarks>
/// The probe's data is the seed contract's first test vector, whose processed_data for the seed's 100000
/// iterations is 7416.1984871113245 (../shared/seed/README.md); other iteration counts are computed.
/// The request expires after the timeout, so a probe nobody answered does not wait in the queue for a later pod.
/// </remarks>
public sealed partial class ReplyProbe(RabbitMqConnectionFactory connections, RabbitMQOptions rabbit, TransformationOptions transformation, TimeProvider timeProvider, ILogger<ReplyProbe> logger)
{
    internal static readonly double[] SeedVector = [0.1, 0.2, 0.3, 0.4, 0.5];

    /// <summary>processed_data of <see cref="SeedVector"/>, as the seed transformation formats it.</summary>
    internal static string ExpectedProcessedData(int iterations) =>
        PythonFloat.ToString(RepeatedAddition.Sum(SeedTransformation.Factor(SeedVector) * 0.1, iterations));

    /// <summary>
    /// processed_data the probe expects under <paramref name="options"/>, or null when it is not the seed's: with
    /// Features it is the number of values the model's input takes, which only the model knows.
    /// </summary>
    internal static string? ExpectedProcessedData(TransformationOptions options) =>
        options.Mode == TransformationMode.Features ? null : ExpectedProcessedData(options.Iterations);

    public async Task<int> RunAsync(TimeSpan timeout, TextWriter output, CancellationToken cancellationToken)
    {
        string? expected = ExpectedProcessedData(transformation);
        try
        {
            await using IConnection connection = await connections.CreateConnectionAsync("probe", cancellationToken);
            await using IChannel channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            QueueDeclareOk replyQueue = await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true, arguments: null, cancellationToken: cancellationToken);
            var replies = Channel.CreateUnbounded<(string? CorrelationId, byte[] Body)>();
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) => replies.Writer.WriteAsync((delivery.BasicProperties.CorrelationId, delivery.Body.ToArray()), cancellationToken).AsTask();
            await channel.BasicConsumeAsync(replyQueue.QueueName, autoAck: true, consumer, cancellationToken);

            int failures = 0;
            foreach (string queue in rabbit.RequestQueues)
            {
                string? problem = await ProbeAsync(channel, queue, replyQueue.QueueName, replies.Reader, expected, timeout, cancellationToken);
                failures += problem is null ? 0 : 1;
                await output.WriteLineAsync(problem is null
                    ? $"{AppCommands.ProbeReply}: {queue}: reply ok (reply_to, correlation_id, message_id, original_input, {(expected is null ? "processed_data not checked: Transformation:Mode=Features" : $"processed_data {expected}")})"
                    : $"{AppCommands.ProbeReply}: {queue}: FAILED: {problem}");
            }

            return failures == 0 ? 0 : 1;
        }
        catch (Exception ex) when (ex is BrokerUnreachableException or OperationInterruptedException or IOException)
        {
            await output.WriteLineAsync($"{AppCommands.ProbeReply}: FAILED: cannot reach the broker at {connections.RedactedEndpoint}: {ex.InnerException?.Message ?? ex.Message}");
            return 1;
        }
    }

    private async Task<string?> ProbeAsync(IChannel channel, string queue, string replyTo, ChannelReader<(string? CorrelationId, byte[] Body)> replies, string? expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string messageId = Guid.NewGuid().ToString();
        var properties = new BasicProperties
        {
            DeliveryMode = DeliveryModes.Persistent,
            ReplyTo = replyTo,
            CorrelationId = messageId,
            ContentType = "application/json",
            Expiration = ((long)timeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        try
        {
            // Mandatory: a request queue that does not exist comes back instead of vanishing.
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, RequestBody(messageId), cancellationToken);
        }
        catch (PublishReturnException)
        {
            return $"no queue named '{queue}' on the broker: the app (or its init container) declares it; is the release installed against this broker?";
        }

        LogPublished(logger, queue, messageId);
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            while (true)
            {
                (string? correlationId, byte[] body) = await replies.ReadAsync(linked.Token);
                if (correlationId == messageId)
                {
                    return CheckReply(body, messageId, expected);
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return $"no reply within {Durations.Format(timeout)} to seed request {messageId} (correlation_id {messageId}, reply_to {replyTo}). " +
                $"Is the app consuming '{queue}'? With KEDA's minReplicaCount 0 the first pod starts one polling interval after the request, " +
                "plus its start-up; see `kubectl get scaledobject,pods` and the app's logs.";
        }
    }

    private static ReadOnlyMemory<byte> RequestBody(string messageId)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("message_id", messageId);
            json.WriteStartArray("data");
            foreach (double value in SeedVector)
            {
                json.WriteNumberValue(value);
            }

            json.WriteEndArray();
            json.WriteNumber("send_timestamp", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
            json.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    /// <summary>
    /// Null when the reply is the one the seed contract promises for the probe's request, else what is wrong;
    /// processed_data is only checked to be a string when <paramref name="expectedProcessedData"/> is null.
    /// </summary>
    internal static string? CheckReply(byte[] body, string messageId, string? expectedProcessedData)
    {
        try
        {
            using JsonDocument reply = JsonDocument.Parse(body);
            JsonElement root = reply.RootElement;
            if (root.TryGetProperty("error", out JsonElement error))
            {
                return $"the app answered with an error: {error.GetRawText()}";
            }

            if (!root.TryGetProperty("message_id", out JsonElement id) || id.ValueKind != JsonValueKind.String || id.GetString() != messageId)
            {
                return $"message_id is not echoed: {Shorten(body)}";
            }

            if (!root.TryGetProperty("result", out JsonElement result) || result.ValueKind != JsonValueKind.Object)
            {
                return $"the reply has no result object: {Shorten(body)}";
            }

            if (!result.TryGetProperty("original_input", out JsonElement input) || input.ValueKind != JsonValueKind.Array
                || !input.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN).SequenceEqual(SeedVector))
            {
                return $"result.original_input is not the request's data: {Shorten(body)}";
            }

            if (!result.TryGetProperty("processed_data", out JsonElement processed) || processed.ValueKind != JsonValueKind.String)
            {
                return $"result.processed_data is missing or not a string: {Shorten(body)}";
            }

            if (expectedProcessedData is not null && processed.GetString() != expectedProcessedData)
            {
                return $"result.processed_data is {processed.GetString()}, expected {expectedProcessedData} (the seed transformation with the configured Transformation:Iterations)";
            }

            return result.TryGetProperty("model_output", out JsonElement output) && output.ValueKind == JsonValueKind.Array
                ? null
                : $"result.model_output is missing: {Shorten(body)}";
        }
        catch (JsonException ex)
        {
            return $"the reply is not JSON ({ex.Message}): {Shorten(body)}";
        }
    }

    private static string Shorten(byte[] body) => body.Length <= 300 ? Encoding.UTF8.GetString(body) : $"{Encoding.UTF8.GetString(body, 0, 300)}…";

    [LoggerMessage(Level = LogLevel.Information, Message = "Published seed request {MessageId} to {Queue}")]
    private static partial void LogPublished(ILogger logger, string queue, string messageId);
}
