namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// What a scenario's dead-letter queue held at its end: entries, how many of them were this run's
/// requests that got no reply (accounted for, not lost), and the entries per <c>x-dead-letter-reason</c>.
/// </summary>
public sealed record DeadLetterTally(long Entries, long UnrepliedRequests, IReadOnlyDictionary<string, long> Reasons)
{
    public static DeadLetterTally None { get; } = new(0, 0, new Dictionary<string, long>());
}
