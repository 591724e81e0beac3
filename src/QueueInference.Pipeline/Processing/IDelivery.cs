namespace QueueInference.Pipeline.Processing;

/// <summary>A delivery of a request that a host holds unacked.</summary>
public interface IDelivery
{
    /// <summary>
    /// False once the channel or connection it came on is gone: an ack would no longer reach the broker,
    /// which has put the message back and will deliver it again.
    /// </summary>
    bool IsLive { get; }
}
