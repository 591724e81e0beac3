namespace QueueInference.Testing;

/// <summary>A reply as a seed client received it.</summary>
public sealed record SeedReply(string MessageId, string? CorrelationId, string Json);
