using QueueInference.Pipeline.Messaging;

namespace QueueInference.Pipeline.Processing;

/// <summary>
/// Publishes what settles a request (its reply, dead letter or retry copy) through an <see cref="ISettlementGate"/>:
/// only once the host holds a live delivery of the request, and again when the publish failed because a
/// connection went away under it.
/// </summary>
public static class Settlement
{
    /// <summary>Pause between publishes that failed with a lost connection, while it recovers.</summary>
    public static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// True when published; false when the gate gave the request up (nothing was published). <paramref name="waitToken"/>
    /// bounds the waits for a live delivery and for a connection to recover, <paramref name="publishToken"/> each publish.
    /// </summary>
    public static async ValueTask<bool> PublishAsync<TState>(ISettlementGate? gate, TState state, Func<TState, CancellationToken, ValueTask> publish, CancellationToken waitToken, CancellationToken publishToken)
    {
        if (gate is null)
        {
            await publish(state, publishToken);
            return true;
        }

        while (true)
        {
            if (!await gate.WaitUntilSettleableAsync(waitToken))
            {
                return false;
            }

            try
            {
                await publish(state, publishToken);
                return true;
            }
            catch (Exception ex) when (BrokerErrors.IsConnectionFailure(ex) && !waitToken.IsCancellationRequested && !publishToken.IsCancellationRequested)
            {
                // The publish may or may not have reached the broker; the request is still unsettled for this
                // process, so publishing again risks a duplicate, while not publishing loses the answer.
                await Task.Delay(RetryPause, waitToken);
            }
        }
    }

    /// <summary>As <see cref="PublishAsync{TState}"/> with one token for both.</summary>
    public static ValueTask<bool> PublishAsync<TState>(ISettlementGate? gate, TState state, Func<TState, CancellationToken, ValueTask> publish, CancellationToken cancellationToken) =>
        PublishAsync(gate, state, publish, cancellationToken, cancellationToken);

    /// <summary>For a settling step that returns what it did; null when the gate gave the request up.</summary>
    public static async ValueTask<TResult?> SettleAsync<TResult>(ISettlementGate gate, Func<CancellationToken, ValueTask<TResult>> settle, CancellationToken waitToken, CancellationToken publishToken)
        where TResult : struct
    {
        TResult? result = null;
        bool settled = await PublishAsync(gate, settle, async (step, token) => result = await step(token), waitToken, publishToken);
        return settled ? result : null;
    }
}
