using RabbitMQ.Client;

namespace QueueInference.Worker.Consuming;

/// <summary>
/// One basic.consume of a plan slot on a session's channel: the slot gets a new one each time it is resumed,
/// because the broker counts a consumer's prefetch per consumer tag. Tracks its deliveries not yet acked, so
/// the governor knows how many more the broker may push to it.
/// </summary>
internal sealed class SlotConsumer(ConsumerSession session, ConsumerPlan.Slot slot, ushort prefetch, DeliveryAcknowledger channel, IDeliveryHandler handler)
    : AsyncDefaultBasicConsumer(channel.Channel)
{
    private int _outstanding;
    private int _acksDue;
    private int _cancelRequested;
    private volatile bool _cancelled;

    public ConsumerSession Session => session;

    public ConsumerPlan.Slot Slot => slot;

    public DeliveryAcknowledger Acknowledger => channel;

    /// <summary>This consumer's prefetch: the slot's, or less when the budget had room for less.</summary>
    public ushort Prefetch => prefetch;

    public string? Tag { get; set; }

    /// <summary>
    /// Prefetch slots the broker may fill once the acks now due are sent (the broker refills a slot as soon as
    /// its ack arrives): from before basic.consume is sent until the cancel-ok has been dispatched, since the
    /// dispatcher hands over every delivery that came before it first.
    /// </summary>
    public int FreeCredit => _cancelled ? 0 : Math.Max(0, prefetch - Volatile.Read(ref _outstanding) + Volatile.Read(ref _acksDue));

    public bool CancelRequested => Volatile.Read(ref _cancelRequested) == 1;

    /// <summary>Deliveries whose ack or nack is due: credit the broker is about to give back to this consumer.</summary>
    public int AcksDue => Volatile.Read(ref _acksDue);

    public void MarkCancelRequested() => Volatile.Write(ref _cancelRequested, 1);

    /// <summary>A delivery's ack or nack is due: from now on the broker may refill its slot at any moment.</summary>
    public void SettlementDue() => Interlocked.Increment(ref _acksDue);

    /// <summary>The ack or nack was sent (or can never be).</summary>
    public void Settled(bool wasDue)
    {
        if (wasDue)
        {
            Interlocked.Decrement(ref _acksDue);
        }

        Interlocked.Decrement(ref _outstanding);
    }

    public override Task HandleBasicDeliverAsync(string consumerTag, ulong deliveryTag, bool redelivered, string exchange, string routingKey, IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _outstanding);
        return handler.OnDelivered(this, deliveryTag, redelivered, properties, body);
    }

    public override Task HandleBasicCancelOkAsync(string consumerTag, CancellationToken cancellationToken = default)
    {
        _cancelled = true;
        return base.HandleBasicCancelOkAsync(consumerTag, cancellationToken);
    }

    public override async Task HandleBasicCancelAsync(string consumerTag, CancellationToken cancellationToken = default)
    {
        _cancelled = true;
        await base.HandleBasicCancelAsync(consumerTag, cancellationToken);
        // The broker cancelled it (the queue was deleted, or its node went away): set everything up afresh.
        session.MarkLost($"the broker cancelled the consumer of {slot.Queue}");
    }
}
