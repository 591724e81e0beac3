using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Observability;
using RabbitMQ.Client;

namespace QueueInference.Pipeline.Messaging;

/// <summary>
/// Publishes on one channel with publisher confirms tracked by the client, so each
/// <see cref="PublishAsync"/> completes only when the broker has taken responsibility for the
/// message (or throws if it was nacked or, being mandatory, returned as unroutable). The
/// client's outstanding-confirm rate limiter is disabled: it throttles to a crawl once half of
/// its 128 permits are in use, while the number of outstanding confirms here is already bounded
/// by the consumer's in-flight limit.
/// </summary>
public sealed class ConfirmingPublisher(RabbitMqConnectionFactory connections, IOptions<ReplyOptions> options, PipelineMetrics metrics) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;

    public async ValueTask PublishAsync(string exchange, string routingKey, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        IChannel channel = await GetChannelAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ConfirmTimeout);
        metrics.ConfirmsOutstanding(1);
        try
        {
            await channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, body, timeout.Token);
        }
        finally
        {
            metrics.ConfirmsOutstanding(-1);
        }
    }

    /// <summary>Opens the connection and channel now rather than on the first publish, which a cold start would pay for.</summary>
    public async ValueTask OpenAsync(CancellationToken cancellationToken) => await GetChannelAsync(cancellationToken);

    /// <summary>Declares a durable queue of the app's own: never the request queue, which must stay argument-free.</summary>
    public async ValueTask DeclareDurableQueueAsync(string queue, IDictionary<string, object?>? arguments, CancellationToken cancellationToken)
    {
        IChannel channel = await GetChannelAsync(cancellationToken);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: cancellationToken);
    }

    private async ValueTask<IChannel> GetChannelAsync(CancellationToken cancellationToken)
    {
        IChannel? channel = _channel;
        if (channel is { IsOpen: true })
        {
            return channel;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_channel is { IsOpen: true })
            {
                return _channel;
            }

            // A channel closed by a channel-level error is not recovered by the client; open another.
            if (_channel is not null)
            {
                await _channel.DisposeAsync();
            }

            _connection ??= await connections.CreateConnectionAsync("publisher", cancellationToken);
            _channel = await _connection.CreateChannelAsync(
                new CreateChannelOptions(
                    publisherConfirmationsEnabled: true,
                    publisherConfirmationTrackingEnabled: true,
                    outstandingPublisherConfirmationsRateLimiter: null),
                cancellationToken);
            return _channel;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _gate.Dispose();
    }
}
