namespace QueueInference.Cli.LoadTesting;

/// <summary>The fields of a reply the seed client's metrics use.</summary>
public readonly record struct ReplyTimestamps(Guid MessageId, double PickUpTimestamp, double ResponseTimestamp);
