namespace QueueInference.Pipeline.Processing;

/// <summary>What a host does with a delivery, given the attempts this process has running or has ended.</summary>
public enum AdmissionKind
{
    /// <summary>A first delivery: process it.</summary>
    New,

    /// <summary>
    /// A redelivery this process knows nothing of: another consumer died holding it, perhaps because of it.
    /// Count it (the poison guard) before processing.
    /// </summary>
    UnknownRedelivery,

    /// <summary>A redelivery of an attempt this process gave up when its connection was lost: process it, not a crash.</summary>
    OwnRedelivery,

    /// <summary>A redelivery of an attempt still running here: it now settles through this delivery; nothing to start.</summary>
    Joined,

    /// <summary>A redelivery of a request this process already answered (the ack was lost with its connection): ack it, answer nothing.</summary>
    AlreadyAnswered,
}
