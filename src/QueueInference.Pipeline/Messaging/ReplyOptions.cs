using System.ComponentModel.DataAnnotations;

namespace QueueInference.Pipeline.Messaging;

/// <summary>How replies are published (section <c>Reply</c>).</summary>
public sealed class ReplyOptions
{
    public const string SectionName = "Reply";

    /// <summary>
    /// Queue for the replies of requests that carry no <c>reply_to</c>. Empty (the default) sends
    /// such a request, with its computed reply, to the dead-letter queue instead of dropping it.
    /// </summary>
    public string? DefaultReplyQueue { get; set; }

    /// <summary>Longest wait for the broker to confirm a reply before the attempt counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
