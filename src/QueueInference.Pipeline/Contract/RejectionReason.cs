namespace QueueInference.Pipeline.Contract;

/// <summary>Why a request was refused. Values are stable: they appear in headers and metrics.</summary>
public enum RejectionReason
{
    None = 0,
    BodyTooLarge,
    InvalidUtf8,
    MalformedJson,
    NotAnObject,
    MissingMessageId,
    InvalidMessageId,
    MissingData,
    InvalidData,
    NonFiniteValue,
    TooManyValues,
    MissingReplyTo,
}
