namespace QueueInference.Pipeline.Admission;

/// <summary>
/// The bytes the requests in flight may hold together (<c>Consumer:MaxInFlightBytes</c>), and what they hold
/// now. A host reserves each request's <see cref="RequestMemoryCost"/> when it arrives and releases it when the
/// request ends. The broker pushes deliveries whenever a consumer has prefetch to spare, so before it lets the
/// broker send more, the host counts every unused prefetch slot as a request of the largest valid size
/// (<see cref="WorstRequestBytes"/>): whatever mix then arrives fits in the budget.
/// </summary>
public sealed class MemoryBudget(long limitBytes, long worstRequestBytes, string source = "configured")
{
    private long _reserved;

    public long LimitBytes => limitBytes;

    /// <summary>Where the limit came from, for the start-up line.</summary>
    public string Source => source;

    /// <summary>What a request of <c>Contract:MaxBodyBytes</c> holds.</summary>
    public long WorstRequestBytes => worstRequestBytes;

    public long ReservedBytes => Interlocked.Read(ref _reserved);

    public void Reserve(long bytes) => Interlocked.Add(ref _reserved, bytes);

    public void Release(long bytes) => Interlocked.Add(ref _reserved, -bytes);

    /// <summary>
    /// How many more deliveries the broker may be allowed to push now: the budget left after what is
    /// reserved, in requests of the largest valid size.
    /// </summary>
    public long AffordableDeliveries => Math.Max(0, (limitBytes - ReservedBytes) / Math.Max(1, worstRequestBytes));
}
