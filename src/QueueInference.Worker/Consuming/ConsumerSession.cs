using QueueInference.Pipeline.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace QueueInference.Worker.Consuming;

/// <summary>
/// One connection's life: opened, the request queues found (or declared as the seed clients do), channels
/// opened, consumers started, paused and resumed, and lost or closed as a whole. The worker recovers from a
/// loss by opening a new session rather than letting the client recover this one, so every consumer comes
/// back under the memory budget and no ack from before the loss is ever sent with a new channel's tags.
/// Its deliveries can be acked only while it is open (<see cref="IsOpen"/>).
/// </summary>
internal sealed class ConsumerSession : IAsyncDisposable
{
    private static int s_sessions;

    private readonly IConnection _connection;
    private readonly Dictionary<(string Queue, int Channel), DeliveryAcknowledger> _channels;
    private readonly SlotConsumer?[] _consumers;
    private readonly TaskCompletionSource<string> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _closing;
    private int _inFlight;

    private ConsumerSession(IConnection connection, ConsumerPlan plan, Dictionary<(string, int), DeliveryAcknowledger> channels)
    {
        _connection = connection;
        Plan = plan;
        _channels = channels;
        _consumers = new SlotConsumer?[plan.Slots.Count];
        Id = Interlocked.Increment(ref s_sessions);
        connection.ConnectionShutdownAsync += (_, args) => OnShutdown(args, "connection");
        foreach (DeliveryAcknowledger channel in channels.Values)
        {
            channel.Channel.ChannelShutdownAsync += (_, args) => OnShutdown(args, "channel");
        }
    }

    public int Id { get; }

    public ConsumerPlan Plan { get; }

    /// <summary>Open until the connection or a channel is lost or the session is closed: only then do acks reach the broker.</summary>
    public bool IsOpen => !_closing && !_lost.Task.IsCompleted;

    /// <summary>Completes with the reason when the broker side went away (not when the worker closed it).</summary>
    public Task<string> Lost => _lost.Task;

    public string? ConnectionName => _connection.ClientProvidedName;

    public string Endpoint => _connection.Endpoint.ToString();

    /// <summary>Deliveries of this session not yet acked, nacked or released.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public void DeliveryStarted() => Interlocked.Increment(ref _inFlight);

    /// <summary>Returns how many of this session's deliveries are still held.</summary>
    public int DeliveryEnded() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Deliveries the broker may still push to the consumers that are not paused.</summary>
    public int FreeCredit => _consumers.Sum(c => c?.FreeCredit ?? 0);

    public bool IsActive(int slot) => _consumers[slot] is { CancelRequested: false };

    /// <summary>What the broker may still push to the consumer of <paramref name="slot"/>.</summary>
    public int CreditOf(int slot) => _consumers[slot]?.FreeCredit ?? 0;

    /// <summary>How much of <see cref="CreditOf"/> is acks now due, rather than window not yet filled.</summary>
    public int AcksDueOf(int slot) => _consumers[slot]?.AcksDue ?? 0;

    public int ActiveConsumers => _consumers.Count(c => c is { CancelRequested: false });

    public IEnumerable<DeliveryAcknowledger> Channels => _channels.Values;

    public static async Task<ConsumerSession> OpenAsync(
        RabbitMqConnectionFactory connections,
        BrokerTopology topology,
        ConsumerPlan plan,
        Func<Task> beforeAcks,
        CancellationToken cancellationToken)
    {
        IConnection connection = await connections.CreateConnectionAsync("consumer", cancellationToken, selfRecovering: false);
        try
        {
            foreach (string queue in plan.Slots.Select(s => s.Queue).Distinct())
            {
                await topology.EnsureRequestQueueAsync(connection, queue, cancellationToken);
            }

            var channels = new Dictionary<(string, int), DeliveryAcknowledger>();
            foreach ((string queue, int channel) in plan.Slots.Select(s => (s.Queue, s.Channel)).Distinct())
            {
                // Dispatch concurrency 1 is enough: the handler only copies the body and starts the work.
                channels[(queue, channel)] = new DeliveryAcknowledger(
                    await connection.CreateChannelAsync(
                        new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false, consumerDispatchConcurrency: 1),
                        cancellationToken),
                    beforeAcks);
            }

            return new ConsumerSession(connection, plan, channels);
        }
        catch
        {
            await CloseQuietlyAsync(connection);
            throw;
        }
    }

    /// <summary>Starts (again) the consumer of <paramref name="slot"/>, with a fresh window of <paramref name="prefetch"/> (at most the slot's).</summary>
    public async Task ResumeAsync(int slot, ushort prefetch, IDeliveryHandler handler, CancellationToken cancellationToken)
    {
        ConsumerPlan.Slot planned = Plan.Slots[slot];
        DeliveryAcknowledger channel = _channels[(planned.Queue, planned.Channel)];
        prefetch = Math.Min(prefetch, planned.Prefetch);
        var consumer = new SlotConsumer(this, planned, prefetch, channel, handler);
        _consumers[slot] = consumer;
        // basic.qos applies to the consumers started after it on the channel.
        await channel.Channel.BasicQosAsync(prefetchSize: 0, prefetchCount: prefetch, global: false, cancellationToken);
        consumer.Tag = await channel.Channel.BasicConsumeAsync(planned.Queue, autoAck: false, consumer, cancellationToken);
    }

    /// <summary>Stops the broker pushing to <paramref name="slot"/>; its deliveries so far stay unacked until settled.</summary>
    public async Task PauseAsync(int slot, CancellationToken cancellationToken)
    {
        if (_consumers[slot] is not { Tag: { } tag, CancelRequested: false } consumer)
        {
            return;
        }

        consumer.MarkCancelRequested();
        await consumer.Acknowledger.Channel.BasicCancelAsync(tag, noWait: false, cancellationToken);
    }

    /// <summary>Stops every consumer (the drain): nothing more is delivered, and unacked deliveries can still be acked.</summary>
    public async Task PauseAllAsync(CancellationToken cancellationToken)
    {
        for (int slot = 0; slot < _consumers.Length; slot++)
        {
            await PauseAsync(slot, cancellationToken);
        }
    }

    /// <summary>Marks the session lost; its work learns it through <see cref="IsOpen"/> at once.</summary>
    public void MarkLost(string reason) => _lost.TrySetResult(reason);

    /// <summary>Sends every ack that is due (the drain, before closing).</summary>
    public async Task FlushAsync()
    {
        foreach (DeliveryAcknowledger channel in _channels.Values)
        {
            await channel.FlushAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _closing = true;
        foreach (DeliveryAcknowledger channel in _channels.Values)
        {
            await CloseQuietlyAsync(channel.Channel);
            channel.Dispose();
        }

        await CloseQuietlyAsync(_connection);
    }

    private Task OnShutdown(ShutdownEventArgs args, string what)
    {
        if (!_closing)
        {
            MarkLost(args.Initiator == ShutdownInitiator.Application ? $"{what} closed" : $"{what} closed by {args.Initiator.ToString().ToLowerInvariant()}: {args.ReplyCode} {args.ReplyText}");
        }

        return Task.CompletedTask;
    }

    private static async Task CloseQuietlyAsync(IAsyncDisposable closable)
    {
        try
        {
            await closable.DisposeAsync();
        }
        catch (Exception ex) when (BrokerErrors.IsConnectionFailure(ex) || ex is TimeoutException or ObjectDisposedException)
        {
            // Already gone: nothing left to close.
        }
    }
}
