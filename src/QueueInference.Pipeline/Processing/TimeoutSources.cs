using System.Collections.Concurrent;

namespace QueueInference.Pipeline.Processing;

/// <summary>
/// Reusable timeout token sources, entry on a shared deadline list rather than each on a runtime timer. A linked source
/// per request and per publish cost a source, a timer and two registrations, all alive for the seconds a request is in
/// flight: with 20 000 in flight that was tens of MB of gen1 the GC kept promoting. Pooling the sources left their
/// timers: 20 000 runtime timers, which the runtime's timer queue walks in full every third of a second (3 % of a seed
/// drain's CPU samples). Every lease of one timeout shares a list in deadline order and one timer entry for its head.
/// </summary>
public static class TimeoutSources
{
    // One list per timeout value in use: the message timeout and the confirm timeout.
    private static readonly ConcurrentDictionary<TimeSpan, DeadlineList> Lists = new();

    /// <summary>
    /// A source that cancels after <paramref name="timeout"/> or when <paramref name="parent"/> does; dispose the
    /// returned lease when done, which returns the source to the pool if it never fired.
    /// </summary>
    public static Lease Rent(TimeSpan timeout, CancellationToken parent) => For(timeout).Rent(parent);

    /// <summary>The list of <paramref name="timeout"/>'s leases, for a caller with one timeout to hold rather than look up per lease.</summary>
    internal static DeadlineList For(TimeSpan timeout) => Lists.GetOrAdd(timeout, static value => new DeadlineList(value, TimeProvider.System));

    /// <summary>A rented source and its link to the parent token.</summary>
    public readonly struct Lease : IDisposable
    {
        private readonly DeadlineList.Entry _entry;
        private readonly CancellationTokenRegistration _link;

        internal Lease(DeadlineList.Entry entry, CancellationTokenRegistration link)
        {
            _entry = entry;
            _link = link;
        }

        public CancellationToken Token => _entry.Source.Token;

        public bool IsCancellationRequested => _entry.Source.IsCancellationRequested;

        public void Dispose()
        {
            // Waits for a parent cancellation that is running, so a source is never reset under it.
            _link.Dispose();
            _entry.List.Release(_entry);
        }
    }
}
