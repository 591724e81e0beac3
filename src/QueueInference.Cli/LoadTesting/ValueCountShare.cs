namespace QueueInference.Cli.LoadTesting;

/// <summary>One size of a <see cref="ValueCountMix"/>: requests with <paramref name="Values"/> values, <paramref name="Weight"/> parts of the mix.</summary>
public sealed record ValueCountShare(int Values, int Weight);
