using System.Collections.Concurrent;

namespace QueueInference.Pipeline.Processing;

/// <summary>
/// The leases of one timeout, oldest first: each is added with the same timeout from a monotonic clock under the
/// lock, so the list is in deadline order and its one timer only ever needs the head's.
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
    private long _armedFor = long.MaxValue;

    public DeadlineList(TimeSpan timeout, TimeProvider time)
    {
        _time = time;
        _timeoutTicks = (long)(timeout.TotalSeconds * time.TimestampFrequency);
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
            entry = new Entry();
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
        bool arm;
        lock (_gate)
        {
            entry.List = this;
            entry.Due = _time.GetTimestamp() + _timeoutTicks;
            entry.Previous = _tail;
            entry.Next = null;
            entry.Linked = true;
            if (_tail is null)
            {
                _head = entry;
            }
            else
            {
                _tail.Next = entry;
            }

            _tail = entry;
            arm = _armedFor == long.MaxValue;
            if (arm)
            {
                _armedFor = entry.Due;
            }
        }

        if (arm)
        {
            ArmFor(entry.Due);
        }
    }

    /// <summary>Takes the lease off the list; false when its deadline had already taken it off.</summary>
    private bool Remove(Entry entry)
    {
        lock (_gate)
        {
            if (!entry.Linked)
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
        long nextDue;
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            while (_head is { } head && head.Due <= now)
            {
                Unlink(head);
                (due ??= []).Add(head);
            }

            nextDue = _head?.Due ?? long.MaxValue;
            _armedFor = nextDue;
        }

        if (nextDue != long.MaxValue)
        {
            ArmFor(nextDue);
        }

        // Outside the lock: a cancellation runs the token's callbacks, which may rent and dispose leases.
        foreach (Entry entry in due ?? [])
        {
            entry.Source.Cancel();
        }
    }

    private void ArmFor(long due)
    {
        // Rounded up to the timer's whole milliseconds, so it never fires before the head is due and spins.
        double milliseconds = Math.Max(0, due - _time.GetTimestamp()) * 1000.0 / _time.TimestampFrequency;
        _timer.Change(TimeSpan.FromMilliseconds(Math.Ceiling(milliseconds)), Timeout.InfiniteTimeSpan);
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
        entry.Linked = false;
    }

    /// <summary>A pooled source and its place on a deadline list.</summary>
    internal sealed class Entry
    {
        public CancellationTokenSource Source { get; } = new();

        public DeadlineList? List { get; set; }

        public long Due { get; set; }

        public Entry? Previous { get; set; }

        public Entry? Next { get; set; }

        public bool Linked { get; set; }
    }
}
