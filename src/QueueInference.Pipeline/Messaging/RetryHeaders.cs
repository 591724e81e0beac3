namespace QueueInference.Pipeline.Messaging;

/// <summary>
/// Headers that carry a request's failure history across retries and redeliveries. Anyone who can
/// publish to the request queue can also set them, so they are read strictly: a count is an AMQP
/// integer from 0 to <see cref="MaxCount"/>; anything else (negative, huge, a string, a float) reads
/// as exhausted, so a forged header can shorten a request's retries but never lengthen them.
/// </summary>
public static class RetryHeaders
{
    /// <summary>Failed attempts so far.</summary>
    public const string Attempts = "x-retry-attempts";

    /// <summary>Broker redeliveries so far (a consumer died while holding the request).</summary>
    public const string Redeliveries = "x-redeliveries";

    /// <summary>The largest count ever written: the limits it is compared with are validated to 100 or less.</summary>
    public const int MaxCount = 100;

    /// <summary>
    /// The count in header <paramref name="name"/>: 0 when the header is absent, null when it is present
    /// but not a count this app could have written (the caller treats the request as out of attempts).
    /// </summary>
    public static int? Read(IDictionary<string, object?>? headers, string name)
    {
        if (headers is null || !headers.TryGetValue(name, out object? value))
        {
            return 0;
        }

        long? count = value switch
        {
            int i => i,
            long l => l,
            short s => s,
            sbyte b => b,
            byte b => b,
            ushort s => s,
            uint u => u,
            _ => null,
        };
        return count is >= 0 and <= MaxCount ? (int)count.Value : null;
    }
}
