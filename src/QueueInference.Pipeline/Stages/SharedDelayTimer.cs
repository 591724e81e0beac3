using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;
using QueueInference.Pipeline.Processing;

namespace QueueInference.Pipeline.Stages;

/// <summary>
/// Many waits on one timer. A <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/> per request
/// cost a timer, a promise and a registration that all lived through the wait (tens of thousands at once, each
/// promoted by the GC), and each fired as its own thread-pool work item. Here a wait is a pooled entry in a
/// queue ordered by due time; the one timer is armed for the earliest entry, and each firing ends every wait
/// that is due, in one work item, running their continuations there.
/// </summary>
/// <remarks>
/// Due times are kept on <see cref="TimeProvider.GetTimestamp"/>, as timers run. A wait also has a due time on
/// <see cref="TimeProvider.GetUtcNow"/>, the clock replies are stamped with: a timer can fire a little before
/// that clock has moved on by the delay, and such a shortfall is waited out again, so that no reply shows less
/// processing time than the delay. A shortfall longer than the delay means that clock was set back; it is not
/// waited for.
/// </remarks>
internal sealed class SharedDelayTimer : IDisposable
{
    /// <summary>Idle waits kept for reuse; beyond that a wait is left to the GC.</summary>
    private const int MaxPooled = 64 * 1024;

    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private readonly PriorityQueue<Entry, long> _due = new();
    private readonly ConcurrentQueue<Wait> _pool = new();
    private long _armedFor = long.MaxValue;
    private bool _disposed;

    public SharedDelayTimer(TimeProvider time)
    {
        _time = time;
        // The timer belongs to no request: it must not carry the first caller's execution context (its
        // AsyncLocals) into every later firing.
        using (ExecutionContext.SuppressFlow())
        {
            _timer = time.CreateTimer(static state => ((SharedDelayTimer)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Waits at least <paramref name="delay"/> (&gt; 0) on both clocks, or until <paramref name="cancellationToken"/> is cancelled.</summary>
    public ValueTask WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        if (!_pool.TryDequeue(out Wait? wait))
        {
            wait = new Wait(this);
        }

        int generation = wait.Start(cancellationToken);
        var entry = new Entry(wait, generation, _time.GetUtcNow() + delay, delay);
        Schedule(entry, _time.GetTimestamp() + _time.ToTimestampTicks(delay));
        return new ValueTask(wait, wait.Token);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }

        _timer.Dispose();
    }

    private void Schedule(Entry entry, long dueTimestamp)
    {
        lock (_lock)
        {
            _due.Enqueue(entry, dueTimestamp);
            if (dueTimestamp < _armedFor)
            {
                Arm(dueTimestamp);
            }
        }
    }

    /// <summary>Sets the timer for <paramref name="dueTimestamp"/>, in whole milliseconds: a timer has no finer resolution.</summary>
    private void Arm(long dueTimestamp)
    {
        if (_disposed)
        {
            return;
        }

        _armedFor = dueTimestamp;
        _timer.Change(_time.Until(dueTimestamp), Timeout.InfiniteTimeSpan);
    }

    private void Fire()
    {
        List<Entry>? due = null;
        lock (_lock)
        {
            long now = _time.GetTimestamp();
            DateTimeOffset wallNow = _time.GetUtcNow();
            while (_due.TryPeek(out Entry entry, out long dueTimestamp) && dueTimestamp <= now)
            {
                _due.Dequeue();
                double shortMs = Math.Ceiling((entry.DueUtc - wallNow).TotalMilliseconds);
                if (shortMs > 0 && shortMs <= entry.Delay.TotalMilliseconds + 1)
                {
                    // The timer fired before the reply clock moved on by the delay: wait out the rest.
                    _due.Enqueue(entry, now + _time.ToTimestampTicks(TimeSpan.FromMilliseconds(shortMs)));
                    continue;
                }

                (due ??= []).Add(entry);
            }

            _armedFor = long.MaxValue;
            if (_due.TryPeek(out _, out long next))
            {
                Arm(next);
            }
        }

        // Outside the lock: each continuation runs the request on until its next wait.
        if (due is not null)
        {
            foreach (Entry entry in due)
            {
                entry.Wait.Finish(entry.Generation);
            }
        }
    }

    private void Return(Wait wait)
    {
        if (_pool.Count < MaxPooled)
        {
            _pool.Enqueue(wait);
        }
    }

    /// <summary>A wait in the queue: a cancelled one stays there until due, and its generation tells it apart from the wait's next use.</summary>
    private readonly record struct Entry(Wait Wait, int Generation, DateTimeOffset DueUtc, TimeSpan Delay);

    /// <summary>One pending wait; reused once its awaiter has read the result.</summary>
    private sealed class Wait(SharedDelayTimer owner) : IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<bool> _completion;
        private CancellationTokenRegistration _cancellation;
        private int _generation;
        private int _finished;

        public short Token => _completion.Version;

        public int Start(CancellationToken cancellationToken)
        {
            int generation = Interlocked.Increment(ref _generation);
            Volatile.Write(ref _finished, 0);
            if (cancellationToken.CanBeCanceled)
            {
                _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((Wait)state!).Cancel(token), this);
            }

            return generation;
        }

        /// <summary>Ends the wait of <paramref name="generation"/>, unless it was cancelled or has ended already; runs its continuation here.</summary>
        public void Finish(int generation)
        {
            if (Volatile.Read(ref _generation) == generation && Interlocked.Exchange(ref _finished, 1) == 0)
            {
                _completion.SetResult(true);
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
                // Waits for a cancellation callback that is running, so the wait is not reused under it.
                _cancellation.Dispose();
                _cancellation = default;
                _completion.Reset();
                owner.Return(this);
            }
        }

        public ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _completion.OnCompleted(continuation, state, token, flags);

        private void Cancel(CancellationToken token)
        {
            if (Interlocked.Exchange(ref _finished, 1) == 0)
            {
                // Off the cancelling thread: a drain cancels thousands of waits at once.
                ThreadPool.UnsafeQueueUserWorkItem(static state => state.Wait._completion.SetException(new OperationCanceledException(state.token)), (Wait: this, token), preferLocal: false);
            }
        }
    }
}
