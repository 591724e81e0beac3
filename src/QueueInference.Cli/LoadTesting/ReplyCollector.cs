using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace QueueInference.Cli.LoadTesting;

/// <summary>
/// Consumes the run's response queue with manual acks, as the seed client did, and books every
/// reply in the <see cref="MessageLedger"/>. By default the queue is declared non-durable with no
/// arguments like the seed client's, and auto-deleted when the run ends. To outlive a broker blip
/// (<see cref="StartAsync(string, string, string, MessageLedger, bool, CancellationToken)"/> with
/// <c>survivesOutages</c>), the queue is durable, kept until <see cref="DisposeAsync"/>, and the
/// connection recovers with its consumer: replies sent while it was away wait in the queue.
/// </summary>
public sealed class ReplyCollector : IAsyncDisposable
{
    /// <summary>Acks go out once per this many deliveries (multiple=true): one frame instead of fifty.</summary>
    private const int AckBatch = 50;

    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly MessageLedger _ledger;
    private readonly string _connectionString;
    private readonly string _responseQueue;
    private readonly bool _durable;
    private int _recoveries;

    private ReplyCollector(IConnection connection, IChannel channel, MessageLedger ledger, string connectionString, string responseQueue, bool durable)
    {
        _connection = connection;
        _channel = channel;
        _ledger = ledger;
        _connectionString = connectionString;
        _responseQueue = responseQueue;
        _durable = durable;
    }

    /// <summary>Times the connection was reopened after the broker closed it or went away.</summary>
    public int Recoveries => Volatile.Read(ref _recoveries);

    public static Task<ReplyCollector> StartAsync(string connectionString, string name, string responseQueue, MessageLedger ledger, CancellationToken cancellationToken) =>
        StartAsync(connectionString, name, responseQueue, ledger, survivesOutages: false, cancellationToken);

    public static Task<ReplyCollector> StartAsync(string connectionString, string name, string responseQueue, MessageLedger ledger, bool survivesOutages, CancellationToken cancellationToken) =>
        StartAsync(connectionString, name, responseQueue, ledger, survivesOutages, queueArguments: null, cancellationToken);

    /// <param name="queueArguments">
    /// Arguments of the response queue, e.g. <c>x-queue-type=quorum</c>: on a cluster, a reply queue that outlives
    /// the loss of a node (a classic queue lives on one node only). Only with <paramref name="survivesOutages"/>.
    /// </param>
    public static async Task<ReplyCollector> StartAsync(string connectionString, string name, string responseQueue, MessageLedger ledger, bool survivesOutages, IDictionary<string, object?>? queueArguments, CancellationToken cancellationToken)
    {
        if (queueArguments is not null && !survivesOutages)
        {
            // A quorum queue cannot be auto-deleted, and arguments are for the queues that must outlive an outage.
            throw new ArgumentException("response queue arguments need survivesOutages (a durable queue)", nameof(queueArguments));
        }

        IConnection connection = survivesOutages
            ? await BrokerConnections.OpenRecoveringAsync(connectionString, $"{name}-replies", cancellationToken)
            : await BrokerConnections.OpenAsync(connectionString, $"{name}-replies", cancellationToken);
        IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(responseQueue, durable: survivesOutages, exclusive: false, autoDelete: !survivesOutages, arguments: queueArguments, cancellationToken: cancellationToken);
        await channel.BasicQosAsync(prefetchSize: 0, prefetchCount: 5000, global: false, cancellationToken);
        var collector = new ReplyCollector(connection, channel, ledger, connectionString, responseQueue, survivesOutages);
        connection.RecoverySucceededAsync += collector.OnRecoveredAsync;
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

    private Task OnRecoveredAsync(object sender, AsyncEventArgs args)
    {
        Interlocked.Increment(ref _recoveries);
        return Task.CompletedTask;
    }

    private async Task OnReceivedAsync(object sender, BasicDeliverEventArgs delivery)
    {
        double received = UnixTime.Now();
        if (ReplyParser.TryParse(delivery.Body.Span, out ReplyTimestamps reply))
        {
            _ledger.RecordReply(reply, received, delivery.Redelivered);
        }
        else
        {
            _ledger.RecordUnparseable();
        }

        if (delivery.DeliveryTag % AckBatch == 0)
        {
            try
            {
                await _channel.BasicAckAsync(delivery.DeliveryTag, multiple: true, delivery.CancellationToken);
            }
            catch (Exception exception) when (exception is AlreadyClosedException or OperationInterruptedException)
            {
                // The connection went away after the delivery: the broker delivers these replies again and
                // the ledger recognises the copies (MessageLedger.RecordReply's redelivered flag).
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_durable)
        {
            await DeleteDurableQueueAsync();
        }

        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }

    /// <summary>A durable response queue is not deleted by the broker: remove it, over a fresh connection if ours is down.</summary>
    private async Task DeleteDurableQueueAsync()
    {
        try
        {
            await _channel.QueueDeleteAsync(_responseQueue, ifUnused: false, ifEmpty: false);
            return;
        }
        catch (Exception exception) when (exception is AlreadyClosedException or OperationInterruptedException)
        {
            // Recovery still under way: try a connection of our own below.
        }

        try
        {
            await using IConnection connection = await BrokerConnections.OpenAsync(_connectionString, "qi-reply-queue-cleanup", CancellationToken.None);
            await using IChannel channel = await connection.CreateChannelAsync();
            await channel.QueueDeleteAsync(_responseQueue, ifUnused: false, ifEmpty: false);
        }
        catch (Exception exception) when (exception is BrokerUnreachableException or AlreadyClosedException or OperationInterruptedException)
        {
            // A leftover response queue is harmless; the run's results do not depend on it.
        }
    }
}
