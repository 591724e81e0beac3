using QueueInference.Pipeline.Messaging;
using QueueInference.Pipeline.Processing;

namespace QueueInference.Worker.Consuming;

/// <summary>
/// One delivery the worker holds: where to ack it, and what it holds of the consumer's prefetch, the memory
/// budget and the in-flight count, all given back exactly once when it is acked, nacked or lost.
/// </summary>
internal sealed class ConsumerDelivery(SlotConsumer consumer, ulong deliveryTag, long reservedBytes, Action<ConsumerDelivery> onReleased) : IDelivery
{
    private int _released;
    private bool _due;

    public bool IsLive => consumer.Session.IsOpen;

    public ConsumerSession Session => consumer.Session;

    public long ReservedBytes => reservedBytes;

    /// <summary>
    /// Acks with the channel's next batch (only ever after the request's outcome was confirmed), then releases.
    /// False when the ack could not be sent: the connection is gone, and the broker redelivers the request.
    /// </summary>
    public Task<bool> AckAsync() => SettleAsync(static (channel, tag) => channel.AckAsync(tag));

    /// <summary>Hands the delivery back to the broker for redelivery, then releases.</summary>
    public Task<bool> NackAsync() => SettleAsync(static (channel, tag) => channel.NackAsync(tag));

    private async Task<bool> SettleAsync(Func<DeliveryAcknowledger, ulong, Task> settle)
    {
        try
        {
            if (!IsLive)
            {
                return false;
            }

            consumer.SettlementDue();
            _due = true;
            await settle(consumer.Acknowledger, deliveryTag);
            return true;
        }
        catch (Exception ex) when (BrokerErrors.IsConnectionFailure(ex) || ex is ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Gives back its share of the prefetch, the budget and the in-flight count; only the first call counts.</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            consumer.Settled(_due);
            onReleased(this);
        }
    }
}
