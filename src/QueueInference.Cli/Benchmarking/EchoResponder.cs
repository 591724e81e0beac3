using System.Buffers;
using System.Text.Json;
using QueueInference.Cli.LoadTesting;
using QueueInference.Pipeline.Contract;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// The benchmark's ceiling: consume a request, publish a seed-shaped reply (message_id and the
/// two timestamps, no result), ack after the reply's confirm — the worker's messaging and
/// at-least-once order with no I/O step and no work, so its rate is what the broker, the client
/// library and the pod's CPU allow at most.
/// </summary>
public sealed class EchoResponder : IAsyncDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    private readonly IConnection _consumeConnection;
    private readonly IConnection _publishConnection;
    private readonly IChannel _consumeChannel;
    private readonly IChannel _publishChannel;
    private long _replied;

    private EchoResponder(IConnection consumeConnection, IConnection publishConnection, IChannel consumeChannel, IChannel publishChannel)
    {
        _consumeConnection = consumeConnection;
        _publishConnection = publishConnection;
        _consumeChannel = consumeChannel;
        _publishChannel = publishChannel;
    }

    public long Replied => Interlocked.Read(ref _replied);

    public static async Task<EchoResponder> StartAsync(string connectionString, string queue, ushort maxInFlight, CancellationToken cancellationToken)
    {
        IConnection consumeConnection = await BrokerChecks.ConnectAsync(connectionString, () => BrokerConnections.OpenAsync(connectionString, "qi-echo-consumer", cancellationToken));
        IConnection publishConnection = await BrokerConnections.OpenAsync(connectionString, "qi-echo-publisher", cancellationToken);
        IChannel consumeChannel = await consumeConnection.CreateChannelAsync(cancellationToken: cancellationToken);
        // Confirms tracked by the client, its limiter off: prefetch already bounds what is outstanding.
        IChannel publishChannel = await publishConnection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true, outstandingPublisherConfirmationsRateLimiter: null),
            cancellationToken);
        await consumeChannel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: cancellationToken);
        await consumeChannel.BasicQosAsync(0, maxInFlight, global: false, cancellationToken);
        var responder = new EchoResponder(consumeConnection, publishConnection, consumeChannel, publishChannel);
        var consumer = new AsyncEventingBasicConsumer(consumeChannel);
        consumer.ReceivedAsync += responder.OnReceivedAsync;
        await consumeChannel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken);
        return responder;
    }

    private async Task OnReceivedAsync(object sender, BasicDeliverEventArgs delivery)
    {
        double pickUp = UnixTime.Now();
        string? replyTo = delivery.BasicProperties.ReplyTo;
        string? messageId = ReadMessageId(delivery.Body.Span);
        if (string.IsNullOrEmpty(replyTo) || messageId is null)
        {
            await _consumeChannel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: false);
            return;
        }

        byte[] reply = WriteReply(messageId, pickUp, UnixTime.Now());
        var properties = new BasicProperties { CorrelationId = delivery.BasicProperties.CorrelationId };
        ValueTask publish = _publishChannel.BasicPublishAsync(string.Empty, replyTo, mandatory: false, properties, reply);
        // The handler returns at once so the next delivery is dispatched while this confirm is pending.
        _ = AckAfterConfirmAsync(publish, delivery.DeliveryTag);
    }

    private async Task AckAfterConfirmAsync(ValueTask publish, ulong deliveryTag)
    {
        try
        {
            await publish;
            await _consumeChannel.BasicAckAsync(deliveryTag, multiple: false);
            Interlocked.Increment(ref _replied);
        }
        catch (Exception) when (!_consumeChannel.IsOpen || !_publishChannel.IsOpen)
        {
            // Shutting down: the broker redelivers what was not acked.
        }
    }

    internal static string? ReadMessageId(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("message_id"u8))
                {
                    reader.Read();
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    internal static byte[] WriteReply(string messageId, double pickUp, double response)
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Span<byte> number = stackalloc byte[PythonFloat.MaxLength];
            writer.WriteStartObject();
            writer.WriteString("message_id"u8, messageId);
            writer.WritePropertyName("pick_up_timestamp"u8);
            writer.WriteRawValue(number[..PythonFloat.Format(pickUp, number)], skipInputValidation: true);
            writer.WritePropertyName("response_timestamp"u8);
            writer.WriteRawValue(number[..PythonFloat.Format(response, number)], skipInputValidation: true);
            writer.WriteNull("result"u8);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _consumeChannel.DisposeAsync();
        await _publishChannel.DisposeAsync();
        await _consumeConnection.DisposeAsync();
        await _publishConnection.DisposeAsync();
    }
}
