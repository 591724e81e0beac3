using RabbitMQ.Client;

namespace QueueInference.Worker.Consuming;

/// <summary>
/// Sends one channel's acks in batches: every <see cref="FlushInterval"/>, one <c>multiple</c> ack for the
/// longest run of finished deliveries from the oldest unsettled one, and single acks for finished deliveries
/// behind a request still in progress, so none waits longer than one interval. A 3 s I/O step finishes
/// requests in waves of thousands; one frame per request made the broker's channel and queue processes the
/// bottleneck (https://www.rabbitmq.com/docs/confirms#consumer-acks-multiple-parameter).
/// A delivery is only ever acked after its reply was confirmed: <see cref="AckAsync"/> completes once the
/// batch holding it is written, so the host's drain still waits for it. Before a batch goes out,
/// <paramref name="beforeSend"/> runs: the broker refills a consumer's prefetch the moment its acks arrive,
/// so that is where the memory budget pauses consumers that could not afford the refill.
/// </summary>
internal sealed class DeliveryAcknowledger(IChannel channel, Func<Task> beforeSend) : IDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(5);

    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _send = new(1, 1);

    // Delivery order; done: finished, ack not sent yet; settled: acked or nacked on its own, to skip.
    private readonly Queue<ulong> _unsettled = new();
    private readonly HashSet<ulong> _done = [];
    private readonly HashSet<ulong> _settled = [];
    private TaskCompletionSource _batch = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _flushScheduled;
    private bool _disposed;

    public IChannel Channel => channel;

    /// <summary>Called in delivery order, from the consumer's dispatch, before the work starts.</summary>
    public void Delivered(ulong deliveryTag)
    {
        lock (_lock)
        {
            _unsettled.Enqueue(deliveryTag);
        }
    }

    /// <summary>Acks the delivery with the next batch; completes when that batch is sent.</summary>
    public Task AckAsync(ulong deliveryTag)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return Task.FromException(new ObjectDisposedException(nameof(DeliveryAcknowledger), "The channel closed before the ack was sent."));
            }

            _done.Add(deliveryTag);
            if (!_flushScheduled)
            {
                _flushScheduled = true;
                _ = FlushSoonAsync();
            }

            return _batch.Task;
        }
    }

    /// <summary>Nacks one delivery for redelivery, in order with the acks around it.</summary>
    public async Task NackAsync(ulong deliveryTag)
    {
        await beforeSend();
        await _send.WaitAsync();
        try
        {
            lock (_lock)
            {
                _settled.Add(deliveryTag);
            }

            await channel.BasicNackAsync(deliveryTag, multiple: false, requeue: true);
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>Sends every ack that is due now (the drain calls this before closing the channel).</summary>
    public async Task FlushAsync()
    {
        await _send.WaitAsync();
        TaskCompletionSource batch;
        ulong? upTo = null;
        List<ulong>? singles = null;
        lock (_lock)
        {
            _flushScheduled = false;
            batch = _batch;
            _batch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            while (_unsettled.TryPeek(out ulong oldest))
            {
                if (_settled.Remove(oldest))
                {
                    _unsettled.Dequeue();
                }
                else if (_done.Remove(oldest))
                {
                    _unsettled.Dequeue();
                    upTo = oldest;
                }
                else
                {
                    break;
                }
            }

            if (_done.Count > 0)
            {
                singles = [.. _done];
                _done.Clear();
                _settled.UnionWith(singles);
            }
        }

        try
        {
            // Exactly the acks about to go out are the refills the budget must afford.
            if (upTo is not null || singles is not null)
            {
                await beforeSend();
            }

            if (upTo is ulong last)
            {
                // Acks every delivery up to and including last that is still unacked: exactly the run above,
                // since deliveries settled on their own are no longer outstanding at the broker.
                await channel.BasicAckAsync(last, multiple: true);
            }

            foreach (ulong tag in singles ?? [])
            {
                await channel.BasicAckAsync(tag, multiple: false);
            }

            batch.TrySetResult();
        }
        catch (Exception ex)
        {
            batch.TrySetException(ex);
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>
    /// After the channel closed: acks still waiting for a batch fail (their deliveries return to the queue), so no
    /// request waits for an ack that will never be sent.
    /// </summary>
    public void Dispose()
    {
        FailPending();
        _send.Dispose();
    }

    private async Task FlushSoonAsync()
    {
        await Task.Delay(FlushInterval);
        try
        {
            await FlushAsync();
        }
        catch (ObjectDisposedException)
        {
            // The channel was closed and this acknowledger disposed: its deliveries return to the queue.
            FailPending();
        }
    }

    private void FailPending()
    {
        TaskCompletionSource pending;
        lock (_lock)
        {
            _disposed = true;
            pending = _batch;
            _done.Clear();
        }

        pending.TrySetException(new ObjectDisposedException(nameof(DeliveryAcknowledger), "The channel closed before the ack was sent."));
    }
}
