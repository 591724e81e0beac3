using System.Collections.Concurrent;

namespace QueueInference.Pipeline.Processing;

/// <summary>
/// Reusable timeout token sources. A linked source per request and per publish cost a source, a timer and two
/// registrations, all alive for the seconds a request is in flight: with 20 000 in flight that was tens of MB of
/// gen1 the GC kept promoting. A reset source keeps its timer, so a rented one allocates nothing.
/// </summary>
public static class TimeoutSources
{
    private const int MaxPooled = 64 * 1024;
    private static readonly ConcurrentQueue<CancellationTokenSource> Pool = new();

    /// <summary>
    /// A source that cancels after <paramref name="timeout"/> or when <paramref name="parent"/> does; dispose the
    /// returned lease when done, which returns the source to the pool if it never fired.
    /// </summary>
    public static Lease Rent(TimeSpan timeout, CancellationToken parent)
    {
        if (!Pool.TryDequeue(out CancellationTokenSource? source))
        {
            source = new CancellationTokenSource();
        }

        source.CancelAfter(timeout);
        CancellationTokenRegistration link = parent.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), source);
        return new Lease(source, link);
    }

    /// <summary>A rented source and its link to the parent token.</summary>
    public readonly struct Lease(CancellationTokenSource source, CancellationTokenRegistration link) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public bool IsCancellationRequested => source.IsCancellationRequested;

        public void Dispose()
        {
            // Waits for a parent cancellation that is running, so a source is never reset under it.
            link.Dispose();
            if (Pool.Count < MaxPooled && source.TryReset())
            {
                Pool.Enqueue(source);
            }
            else
            {
                source.Dispose();
            }
        }
    }
}
