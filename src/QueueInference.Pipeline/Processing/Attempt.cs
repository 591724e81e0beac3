namespace QueueInference.Pipeline.Processing;

/// <summary>
/// One attempt at a request in this process, with the deliveries it settles: the one it started from, and
/// any redelivery of the same message that arrived while it ran (after a connection loss the broker
/// redelivers what was unacked; the redelivery joins the running attempt instead of starting another).
/// </summary>
public sealed class Attempt : ISettlementGate
{
    private readonly Lock _lock = new();
    private readonly IDelivery _first;
    private List<IDelivery>? _joined;
    private TaskCompletionSource? _arrival;
    private bool _ended;

    private readonly CancellationToken _stopWaiting;

    internal Attempt(RequestKey key, IDelivery first, CancellationToken stopWaiting)
    {
        Key = key;
        _first = first;
        _stopWaiting = stopWaiting;
    }

    public RequestKey Key { get; }

    /// <summary>Whether an ack now would reach the broker for at least one of this attempt's deliveries.</summary>
    public bool HasLiveDelivery
    {
        get
        {
            lock (_lock)
            {
                return AnyLive();
            }
        }
    }

    public ValueTask<bool> WaitUntilSettleableAsync(CancellationToken cancellationToken)
    {
        // The common case, a live first delivery, answers without allocating.
        return _first.IsLive ? ValueTask.FromResult(true) : WaitForRedeliveryAsync(cancellationToken);
    }

    /// <summary>Adds a redelivery of this attempt's message; false when the attempt has already ended.</summary>
    internal bool Join(IDelivery redelivery)
    {
        TaskCompletionSource? arrival;
        lock (_lock)
        {
            if (_ended)
            {
                return false;
            }

            (_joined ??= []).Add(redelivery);
            (arrival, _arrival) = (_arrival, null);
        }

        arrival?.TrySetResult();
        return true;
    }

    /// <summary>Ends the attempt: no redelivery joins it any more. Returns all its deliveries, live or not.</summary>
    internal IReadOnlyList<IDelivery> End(out bool anyLive)
    {
        lock (_lock)
        {
            _ended = true;
            anyLive = AnyLive();
            return _joined is null ? [_first] : [_first, .. _joined];
        }
    }

    private async ValueTask<bool> WaitForRedeliveryAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task arrival;
            lock (_lock)
            {
                if (AnyLive())
                {
                    return true;
                }

                arrival = (_arrival ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            try
            {
                using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopWaiting);
                await arrival.WaitAsync(either.Token);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || _stopWaiting.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    private bool AnyLive() => _first.IsLive || (_joined?.Exists(d => d.IsLive) ?? false);
}
