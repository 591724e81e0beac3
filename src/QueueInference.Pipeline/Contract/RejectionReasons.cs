namespace QueueInference.Pipeline.Contract;

/// <summary>The kebab-case names of <see cref="RejectionReason"/> used on the wire and in metrics.</summary>
public static class RejectionReasons
{
    public static string ToWireName(this RejectionReason reason) => reason switch
    {
        RejectionReason.None => "none",
        RejectionReason.BodyTooLarge => "body-too-large",
        RejectionReason.InvalidUtf8 => "invalid-utf8",
        RejectionReason.MalformedJson => "malformed-json",
        RejectionReason.NotAnObject => "not-an-object",
        RejectionReason.MissingMessageId => "missing-message-id",
        RejectionReason.InvalidMessageId => "invalid-message-id",
        RejectionReason.MissingData => "missing-data",
        RejectionReason.InvalidData => "invalid-data",
        RejectionReason.NonFiniteValue => "non-finite-value",
        RejectionReason.TooManyValues => "too-many-values",
        RejectionReason.MissingReplyTo => "missing-reply-to",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
