using QueueInference.Pipeline.Processing;

namespace QueueInference.Pipeline.Tests.Processing;

/// <summary>A delivery whose connection a test can take away.</summary>
internal sealed class FakeDelivery(string name) : IDelivery
{
    public bool IsLive { get; set; } = true;

    public override string ToString() => name;
}
