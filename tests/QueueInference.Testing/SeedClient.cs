using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace QueueInference.Testing;

/// <summary>
/// Publishes seed-format requests the way the seed's client does (request queue durable with no
/// arguments, delivery_mode 2, reply_to, correlation_id = message_id; a non-durable response
/// queue) and collects the replies, counting duplicates and unknown ones.
/// </summary>
public sealed class SeedClient : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _requestQueue;

    private SeedClient(IConnection connection, IChannel channel, string requestQueue, string responseQueue)
    {
        _connection = connection;
        _channel = channel;
        _requestQueue = requestQueue;
        ResponseQueue = responseQueue;
    }

    public string ResponseQueue { get; }

    public ConcurrentDictionary<string, SeedReply> Replies { get; } = new();

    public ConcurrentDictionary<string, double[]> Sent { get; } = new();

    public int Duplicates => _duplicates;

    public int Unknown => _unknown;

    private int _duplicates;
    private int _unknown;

    /// <param name="amqpUrl">The broker.</param>
    /// <param name="requestQueue">Where requests go.</param>
    /// <param name="responseQueue">The reply queue; a fresh name when null.</param>
    /// <param name="durableResponseQueue">A durable reply queue, for replies that must outlive a broker restart.</param>
    /// <param name="declareRequestQueue">
    /// Declare the request queue as the seed client does (durable, no arguments); false when the test declared it
    /// itself with arguments, which a plain declare would contradict.
    /// </param>
    public static async Task<SeedClient> ConnectAsync(string amqpUrl, string requestQueue = "request_queue", string? responseQueue = null, bool durableResponseQueue = false, bool declareRequestQueue = true)
    {
        var factory = new ConnectionFactory { Uri = new Uri(amqpUrl), ClientProvidedName = "seed-client" };
        IConnection connection = await factory.CreateConnectionAsync();
        IChannel channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true, outstandingPublisherConfirmationsRateLimiter: null));
        responseQueue ??= $"response_queue.{Guid.NewGuid():N}";
        if (declareRequestQueue)
        {
            await channel.QueueDeclareAsync(requestQueue, durable: true, exclusive: false, autoDelete: false, arguments: null);
        }

        await channel.QueueDeclareAsync(responseQueue, durable: durableResponseQueue, exclusive: false, autoDelete: false, arguments: null);
        var client = new SeedClient(connection, channel, requestQueue, responseQueue);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += client.OnReplyAsync;
        await channel.BasicConsumeAsync(responseQueue, autoAck: false, consumer);
        return client;
    }

    /// <summary>Publishes <paramref name="count"/> seed requests with random data, each confirmed by the broker.</summary>
    /// <param name="count">How many requests.</param>
    /// <param name="dataLength">Values per request.</param>
    /// <param name="nextValue">Makes each value; <see cref="Random.NextDouble"/> when null.</param>
    public async Task PublishAsync(int count, int dataLength = 5, Func<double>? nextValue = null)
    {
        nextValue ??= Random.Shared.NextDouble;
        var pending = new List<Task>(count);
        for (int i = 0; i < count; i++)
        {
            string id = Guid.NewGuid().ToString();
            double[] data = [.. Enumerable.Range(0, dataLength).Select(_ => nextValue())];
            Sent[id] = data;
            byte[] body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["message_id"] = id, ["data"] = data, ["send_timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 });
            pending.Add(PublishRawAsync(body, new BasicProperties { Persistent = true, ReplyTo = ResponseQueue, CorrelationId = id }).AsTask());
        }

        await Task.WhenAll(pending);
    }

    /// <summary>Publishes any body with any properties to the request queue, confirmed.</summary>
    public ValueTask PublishRawAsync(ReadOnlyMemory<byte> body, BasicProperties properties) =>
        _channel.BasicPublishAsync(string.Empty, _requestQueue, mandatory: true, properties, body);

    /// <summary>Waits until every sent request has a reply or <paramref name="timeout"/> passes.</summary>
    public async Task<bool> WaitForRepliesAsync(TimeSpan timeout, int? expected = null)
    {
        int target = expected ?? Sent.Count;
        var deadline = DateTime.UtcNow + timeout;
        while (Replies.Count < target && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return Replies.Count >= target;
    }

    /// <summary>Waits until no reply has arrived for <paramref name="quiet"/>: replies still on their way are counted.</summary>
    public async Task WaitForQuietAsync(TimeSpan quiet)
    {
        int seen = -1;
        while (seen != Replies.Count + _duplicates)
        {
            seen = Replies.Count + _duplicates;
            await Task.Delay(quiet);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private async Task OnReplyAsync(object sender, BasicDeliverEventArgs delivery)
    {
        using JsonDocument document = JsonDocument.Parse(delivery.Body);
        string id = document.RootElement.GetProperty("message_id").GetString()!;
        var reply = new SeedReply(id, delivery.BasicProperties.CorrelationId, Encoding.UTF8.GetString(delivery.Body.Span));
        if (!Sent.ContainsKey(id))
        {
            Interlocked.Increment(ref _unknown);
        }
        else if (!Replies.TryAdd(id, reply))
        {
            Interlocked.Increment(ref _duplicates);
        }

        await _channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
    }
}
