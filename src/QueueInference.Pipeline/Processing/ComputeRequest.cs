using System.Buffers;
using System.Diagnostics;
using System.Threading.Tasks.Sources;
using Microsoft.Extensions.ObjectPool;
using QueueInference.Pipeline.Contract;

namespace QueueInference.Pipeline.Processing;

/// <summary>
/// One request waiting for, then in, the compute lane; awaited by the request's pipeline as a
/// <see cref="ValueTask"/> and reused through a pool once that await has read the result.
/// </summary>
internal sealed class ComputeRequest(ObjectPool<ComputeRequest> pool) : IValueTaskSource
{
    // Continuations run where Complete is called: the compute scheduler calls it on the thread pool, for a whole batch.
    private ManualResetValueTaskSourceCore<bool> _completion;

    public InferenceRequest Request { get; private set; } = null!;

    public DateTimeOffset PickedUpAt { get; private set; }

    public IBufferWriter<byte> Reply { get; private set; } = null!;

    /// <summary>The request's span, parent of its compute stages' spans; null while tracing is off.</summary>
    public Activity? Trace { get; private set; }

    /// <summary>When it was queued (Stopwatch ticks).</summary>
    public long QueuedAt { get; private set; }

    /// <summary>The transformation's <c>processed_data</c> value.</summary>
    public double Processed { get; set; }

    /// <summary>Why this request failed; null while it has not.</summary>
    public Exception? Error { get; set; }

    public ValueTask AsValueTask => new(this, _completion.Version);

    public void Start(InferenceRequest request, DateTimeOffset pickedUpAt, IBufferWriter<byte> reply, long queuedAt, Activity? trace = null)
    {
        Trace = trace;
        Request = request;
        PickedUpAt = pickedUpAt;
        Reply = reply;
        QueuedAt = queuedAt;
    }

    /// <summary>
    /// Hands the outcome to the awaiting request and runs its continuation on this thread; the compute lane must
    /// not touch this object afterwards.
    /// </summary>
    public void Complete()
    {
        if (Error is null)
        {
            _completion.SetResult(true);
        }
        else
        {
            _completion.SetException(Error);
        }
    }

    public void GetResult(short token)
    {
        try
        {
            _completion.GetResult(token);
        }
        finally
        {
            Request = null!;
            Reply = null!;
            Trace = null;
            Error = null;
            _completion.Reset();
            pool.Return(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);
}
