using System.Collections.Concurrent;

namespace QueueInference.Pipeline.Processing;

/// <summary>
/// The leases of one timeout, oldest first: each is added with the same timeout from a monotonic clock under the
/// lock, so the list is in deadline order and its one timer only ever needs the head's. It arms that timer as
/// <see cref="Stages.SharedDelayTimer"/> does; unlike that timer's queue, a lease that ends leaves the list at once,
/// since nearly every timeout ends before its deadline.
/// </summary>
internal sealed class DeadlineList
{
    private const int MaxPooled = 64 * 1024;
    private readonly ConcurrentQueue<Entry> _pool = new();
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly long _timeoutTicks;
    private readonly ITimer _timer;
    private Entry? _head;
    private Entry? _tail;
    private bool _armed;

    public DeadlineList(TimeSpan timeout, TimeProvider time)
    {
        _time = time;
        _timeoutTicks = time.ToTimestampTicks(timeout);
        // Created from whichever request first uses this timeout: its async-local state must not live on in the timer.
        using (ExecutionContext.SuppressFlow())
        {
            _timer = time.CreateTimer(static state => ((DeadlineList)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>A pooled source, on the list until its deadline or its lease's end.</summary>
    public TimeoutSources.Lease Rent(CancellationToken parent)
    {
        if (!_pool.TryDequeue(out Entry? entry))
        {
            entry = new Entry(this);
        }

        Add(entry);
        CancellationTokenRegistration link = parent.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), entry.Source);
        return new TimeoutSources.Lease(entry, link);
    }

    /// <summary>
    /// Takes a lease's source off the list and back into the pool. One its deadline took off is the deadline's: it is
    /// cancelled (or about to be), so it is never handed out again.
    /// </summary>
    public void Release(Entry entry)
    {
        if (Remove(entry) && _pool.Count < MaxPooled && entry.Source.TryReset())
        {
            _pool.Enqueue(entry);
        }
    }

    private void Add(Entry entry)
    {
        lock (_gate)
        {
            entry.Due = _time.GetTimestamp() + _timeoutTicks;
            entry.Previous = _tail;
            entry.Next = null;
            if (_tail is null)
            {
                _head = entry;
            }
            else
            {
                _tail.Next = entry;
            }

            _tail = entry;
            if (!_armed)
            {
                Arm(entry.Due);
            }
        }
    }

    /// <summary>Takes the lease off the list; false when its deadline had already taken it off (on the list, an entry is the head or has one before it).</summary>
    private bool Remove(Entry entry)
    {
        lock (_gate)
        {
            if (entry.Previous is null && !ReferenceEquals(_head, entry))
            {
                return false;
            }

            Unlink(entry);
            return true;
        }
    }

    private void Fire()
    {
        List<Entry>? due = null;
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            while (_head is { } head && head.Due <= now)
            {
                Unlink(head);
                (due ??= []).Add(head);
            }

            _armed = false;
            if (_head is { } next)
            {
                Arm(next.Due);
            }
        }

        // Outside the lock: a cancellation runs the token's callbacks, which may rent and dispose leases.
        foreach (Entry entry in due ?? [])
        {
            entry.Source.Cancel();
        }
    }

    private void Arm(long due)
    {
        _armed = true;
        _timer.Change(_time.Until(due), Timeout.InfiniteTimeSpan);
    }

    private void Unlink(Entry entry)
    {
        if (entry.Previous is null)
        {
            _head = entry.Next;
        }
        else
        {
            entry.Previous.Next = entry.Next;
        }

        if (entry.Next is null)
        {
            _tail = entry.Previous;
        }
        else
        {
            entry.Next.Previous = entry.Previous;
        }

        entry.Previous = null;
        entry.Next = null;
    }

    /// <summary>A pooled source and its place on a deadline list.</summary>
    internal sealed class Entry(DeadlineList list)
    {
        public CancellationTokenSource Source { get; } = new();

        public DeadlineList List => list;

        public long Due { get; set; }

        public Entry? Previous { get; set; }

        public Entry? Next { get; set; }
    }
}
