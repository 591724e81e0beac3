using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace QueueInference.Cli.LoadTesting;

/// <summary>
/// Consumes the run's response queue with manual acks, as the seed client did, and books every
/// reply in the <see cref="MessageLedger"/>. The queue is declared non-durable with no arguments
/// like the seed client's, and auto-deleted when the run ends.
/// </summary>
public sealed class ReplyCollector : IAsyncDisposable
{
    /// <summary>Acks go out once per this many deliveries (multiple=true): one frame instead of fifty.</summary>
    private const int AckBatch = 50;

    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly MessageLedger _ledger;

    private ReplyCollector(IConnection connection, IChannel channel, MessageLedger ledger)
    {
        _connection = connection;
        _channel = channel;
        _ledger = ledger;
    }

    public static async Task<ReplyCollector> StartAsync(string connectionString, string name, string responseQueue, MessageLedger ledger, CancellationToken cancellationToken)
    {
        IConnection connection = await BrokerConnections.OpenAsync(connectionString, $"{name}-replies", cancellationToken);
        IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(responseQueue, durable: false, exclusive: false, autoDelete: true, arguments: null, cancellationToken: cancellationToken);
        await channel.BasicQosAsync(prefetchSize: 0, prefetchCount: 5000, global: false, cancellationToken);
        var collector = new ReplyCollector(connection, channel, ledger);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += collector.OnReceivedAsync;
        await channel.BasicConsumeAsync(responseQueue, autoAck: false, consumer, cancellationToken);
        return collector;
    }

    /// <summary>Waits until every sent request has an outcome, or <paramref name="timeout"/> passes.</summary>
    public async Task<bool> WaitForAllAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (_ledger.Missing > 0)
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }

        return true;
    }

    private async Task OnReceivedAsync(object sender, BasicDeliverEventArgs delivery)
    {
        double received = UnixTime.Now();
        if (ReplyParser.TryParse(delivery.Body.Span, out ReplyTimestamps reply))
        {
            _ledger.RecordReply(reply, received);
        }
        else
        {
            _ledger.RecordUnparseable();
        }

        if (delivery.DeliveryTag % AckBatch == 0)
        {
            await _channel.BasicAckAsync(delivery.DeliveryTag, multiple: true, delivery.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
