using System.Numerics;

namespace QueueInference.Pipeline.Admission;

/// <summary>
/// What one request holds in memory while it is in flight: the body's copy (pooled, so rounded up to a power of
/// two), its parsed values (pooled doubles, at most <c>Contract:MaxDataLength</c>), the reply it becomes (it echoes
/// the request's data, so about the body's size) and a fixed part for everything else a request carries (its task,
/// properties, registry entry and pooled timers), measured on the worker (README, "Memory per request").
/// </summary>
public sealed class RequestMemoryCost(int maxDataLength)
{
    /// <summary>The size-independent part, in bytes.</summary>
    public const int FixedBytes = 2048;

    /// <summary>Reply bytes beyond the echoed data: message id, timestamps, processed_data and model_output.</summary>
    public const int ReplyOverheadBytes = 1024;

    /// <summary>
    /// The most a body of <paramref name="bodyBytes"/> can hold, unseen: one value per two bytes (<c>1,</c>). What
    /// the budget counts for a delivery that has not arrived yet.
    /// </summary>
    public long Of(int bodyBytes) => Cost(bodyBytes, bodyBytes / 2 + 1);

    /// <summary>
    /// What <paramref name="body"/> holds: a comma follows every value but the last, so its commas bound its values.
    /// A request's numbers take 15-20 bytes each, so this is about a tenth of the unseen bound's values. Charged at that
    /// bound, a 64-value request cost twice what it holds, and the budget, not the CPU, capped what a pod with an I/O
    /// step kept in flight (docs/benchmark.md, fourteenth round).
    /// </summary>
    public long Of(ReadOnlySpan<byte> body) => Cost(body.Length, body.Count((byte)',') + 1);

    private long Cost(int bodyBytes, int values) =>
        FixedBytes + Pooled(bodyBytes) + 8 * Pooled(Math.Min(maxDataLength, values)) + bodyBytes + ReplyOverheadBytes;

    private static long Pooled(int length) => length <= 16 ? 16 : (long)BitOperations.RoundUpToPowerOf2((uint)length);
}
