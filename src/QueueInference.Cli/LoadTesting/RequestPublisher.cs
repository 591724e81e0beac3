using System.Diagnostics;
using RabbitMQ.Client;

namespace QueueInference.Cli.LoadTesting;

/// <summary>
/// Publishes seed-format requests over one or more connections with publisher confirms. Publishing
/// never waits for a confirm, only for a free slot among <c>maxOutstanding</c> unconfirmed
/// messages, so the broker's confirm latency bounds memory, not the send rate.
/// </summary>
public sealed class RequestPublisher : IAsyncDisposable
{
    private readonly IReadOnlyList<IConnection> _connections;
    private readonly IReadOnlyList<IChannel> _channels;
    private readonly SemaphoreSlim _outstanding;
    private readonly int _maxOutstanding;
    private long _confirmed;
    private long _failed;

    private RequestPublisher(IReadOnlyList<IConnection> connections, IReadOnlyList<IChannel> channels, int maxOutstanding)
    {
        _connections = connections;
        _channels = channels;
        _maxOutstanding = maxOutstanding;
        _outstanding = new SemaphoreSlim(maxOutstanding, maxOutstanding);
    }

    public long Confirmed => Interlocked.Read(ref _confirmed);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>The largest delay behind the open-loop schedule, in seconds (0 for a fixed count).</summary>
    public double MaxScheduleLagSeconds { get; private set; }

    public static async Task<RequestPublisher> ConnectAsync(string connectionString, string name, int connectionCount, int maxOutstanding, CancellationToken cancellationToken)
    {
        var connections = new List<IConnection>();
        var channels = new List<IChannel>();
        // The client's own limiter is off: it throttles to ~500 msg/s once half its permits are used;
        // the semaphore above bounds outstanding confirms across all channels instead.
        var options = new CreateChannelOptions(
            publisherConfirmationsEnabled: true,
            publisherConfirmationTrackingEnabled: true,
            outstandingPublisherConfirmationsRateLimiter: null);
        for (int i = 0; i < connectionCount; i++)
        {
            IConnection connection = await BrokerConnections.OpenAsync(connectionString, $"{name}-publisher-{i}", cancellationToken);
            connections.Add(connection);
            channels.Add(await connection.CreateChannelAsync(options, cancellationToken));
        }

        return new RequestPublisher(connections, channels, maxOutstanding);
    }

    /// <summary>Publishes every request of <paramref name="schedule"/>, then waits for the last confirms.</summary>
    public Task PublishAsync(PublishSchedule schedule, string queue, string replyTo, MessageLedger ledger, Random random, CancellationToken cancellationToken) =>
        PublishAsync(schedule, ValueCountMix.Seed, queue, replyTo, ledger, random, cancellationToken);

    /// <summary>As above, each request with a number of values drawn from <paramref name="values"/>.</summary>
    public async Task PublishAsync(PublishSchedule schedule, ValueCountMix values, string queue, string replyTo, MessageLedger ledger, Random random, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        for (long index = 0; schedule.DueSeconds(index) is { } due; index++)
        {
            double wait = due - clock.Elapsed.TotalSeconds;
            if (wait > 0.001)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait), cancellationToken);
            }
            else if (-wait > MaxScheduleLagSeconds && schedule.Rate is not null)
            {
                MaxScheduleLagSeconds = -wait;
            }

            await _outstanding.WaitAsync(cancellationToken);
            IChannel channel = _channels[(int)(index % _channels.Count)];
            PublishOne(channel, queue, replyTo, ledger, random, values.Next(random));
        }

        // Every permit back means every confirm (or failure) has arrived.
        for (int i = 0; i < _maxOutstanding; i++)
        {
            await _outstanding.WaitAsync(cancellationToken);
        }

        _outstanding.Release(_maxOutstanding);
    }

    private void PublishOne(IChannel channel, string queue, string replyTo, MessageLedger ledger, Random random, int valueCount)
    {
        var messageId = Guid.NewGuid();
        string id = messageId.ToString("D");
        double sendTimestamp = UnixTime.Now();
        byte[] body = SeedRequest.CreateBody(messageId, SeedRequest.RandomData(random, valueCount), sendTimestamp);
        // As the seed client: persistent, reply_to, correlation_id = message_id.
        var properties = new BasicProperties
        {
            DeliveryMode = DeliveryModes.Persistent,
            ReplyTo = replyTo,
            CorrelationId = id,
        };

        // Recorded before publishing: a fast worker's reply may arrive before the confirm.
        ledger.RecordSent(messageId, sendTimestamp, valueCount);
        ValueTask publish;
        try
        {
            // Not cancellable: an interrupted run must not count a message the broker took as a failure.
            publish = channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, body, CancellationToken.None);
        }
        catch (Exception)
        {
            _outstanding.Release();
            OnFailed(ledger, messageId);
            throw;
        }

        if (publish.IsCompletedSuccessfully)
        {
            Interlocked.Increment(ref _confirmed);
            _outstanding.Release();
            return;
        }

        _ = AwaitConfirmAsync(publish, ledger, messageId);
    }

    private async Task AwaitConfirmAsync(ValueTask publish, MessageLedger ledger, Guid messageId)
    {
        try
        {
            await publish;
            Interlocked.Increment(ref _confirmed);
        }
        catch (Exception)
        {
            // Nacked, returned as unroutable, or the channel closed: the request never reached the queue.
            OnFailed(ledger, messageId);
        }
        finally
        {
            _outstanding.Release();
        }
    }

    private void OnFailed(MessageLedger ledger, Guid messageId)
    {
        Interlocked.Increment(ref _failed);
        ledger.ForgetSent(messageId);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IChannel channel in _channels)
        {
            await channel.DisposeAsync();
        }

        foreach (IConnection connection in _connections)
        {
            await connection.DisposeAsync();
        }

        _outstanding.Dispose();
    }
}
