namespace QueueInference.Cli.LoadTesting;

/// <summary>How a received reply was classified; only <see cref="Accepted"/> counts as success.</summary>
public enum ReplyOutcome
{
    Accepted,
    Duplicate,
    Late,
    Unknown,

    /// <summary>The broker delivered a reply already booked again (the client's connection dropped before its ack).</summary>
    Redelivered,
}
