namespace QueueInference.Pipeline.Messaging;

/// <summary>Headers that carry a request's failure history across retries and redeliveries.</summary>
public static class RetryHeaders
{
    /// <summary>Failed attempts so far.</summary>
    public const string Attempts = "x-retry-attempts";

    /// <summary>Broker redeliveries so far (a consumer died while holding the request).</summary>
    public const string Redeliveries = "x-redeliveries";

    internal static int Read(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out object? value) ? value switch
        {
            int i => i,
            long l => (int)l,
            byte b => b,
            short s => s,
            byte[] text when int.TryParse(System.Text.Encoding.UTF8.GetString(text), out int parsed) => parsed,
            _ => 0,
        } : 0;
}
