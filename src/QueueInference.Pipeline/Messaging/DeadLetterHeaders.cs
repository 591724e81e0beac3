namespace QueueInference.Pipeline.Messaging;

/// <summary>Headers the app adds to a dead-lettered message; the original properties and headers are kept.</summary>
public static class DeadLetterHeaders
{
    /// <summary>Why the message was dead-lettered, e.g. <c>malformed-json</c> or <c>retries-exhausted</c>.</summary>
    public const string Reason = "x-dead-letter-reason";

    /// <summary>The queue the message was consumed from (the queue a replay returns it to).</summary>
    public const string OriginalQueue = "x-original-queue";

    /// <summary>When it was dead-lettered, Unix seconds.</summary>
    public const string Timestamp = "x-dead-lettered-at";

    /// <summary>The last error's type and message, for failures rather than rejections.</summary>
    public const string LastError = "x-last-error";

    /// <summary>For a request without reply_to: the reply it would have received.</summary>
    public const string Result = "x-result";
}
