using System.ComponentModel.DataAnnotations;
using QueueInference.Pipeline.Configuration;

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

    /// <summary>
    /// Also tell the requester when its request is rejected: an error reply
    /// (<c>{"error": {"reason": ..., "dead_letter_queue": ...}}</c>, header <c>x-error-reason</c>)
    /// to its reply_to with its correlation_id. Off by default because seed clients read
    /// <c>result</c> from every reply and would fail on an error reply.
    /// </summary>
    public bool ErrorReplies { get; set; }

    /// <summary>
    /// Publish replies as persistent (delivery mode 2). Off by default, as in the seed: its
    /// response queue is not durable, so persistence would cost disk writes and save nothing.
    /// Turn on when requesters use durable reply queues and must not lose replies to a broker restart.
    /// </summary>
    public bool Persistent { get; set; }

    /// <summary>Longest wait for the broker to confirm a reply before the attempt counts as failed.</summary>
    [DurationRange("1s", "10m")]
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
