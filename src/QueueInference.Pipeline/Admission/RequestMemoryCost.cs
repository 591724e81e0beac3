using System.Numerics;

namespace QueueInference.Pipeline.Admission;

/// <summary>
/// What one request holds in memory while it is in flight, by body size: the body's copy (pooled, so rounded
/// up to a power of two), its parsed values (pooled doubles, at most one per two body bytes and at most
/// <c>Contract:MaxDataLength</c>), the reply it becomes (it echoes the request's data, so about the body's
/// size) and a fixed part for everything else a request carries (its task, properties, registry entry and
/// pooled timers), measured on the worker (README, "Memory per request").
/// </summary>
public sealed class RequestMemoryCost(int maxDataLength)
{
    /// <summary>The size-independent part, in bytes.</summary>
    public const int FixedBytes = 2048;

    /// <summary>Reply bytes beyond the echoed data: message id, timestamps, processed_data and model_output.</summary>
    public const int ReplyOverheadBytes = 1024;

    public long Of(int bodyBytes)
    {
        long body = Pooled(bodyBytes);
        long values = 8 * Pooled(Math.Min(maxDataLength, bodyBytes / 2 + 1));
        return FixedBytes + body + values + bodyBytes + ReplyOverheadBytes;
    }

    private static long Pooled(int length) => length <= 16 ? 16 : (long)BitOperations.RoundUpToPowerOf2((uint)length);
}
