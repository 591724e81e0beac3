namespace QueueInference.Pipeline.Tests.Support;

/// <summary>A clock that always says the same time, so reply timestamps can be compared byte for byte.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
