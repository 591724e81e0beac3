using System.Text;
using QueueInference.Pipeline.Messaging;
using RabbitMQ.Client;

namespace QueueInference.Cli.DeadLetters;

/// <summary>One message of a dead-letter queue, as read without removing it.</summary>
public sealed record DeadLetterEntry(int Position, ReadOnlyMemory<byte> Body, IReadOnlyBasicProperties Properties)
{
    public string? Reason => Header(DeadLetterHeaders.Reason);

    public string? OriginalQueue => Header(DeadLetterHeaders.OriginalQueue);

    public string? LastError => Header(DeadLetterHeaders.LastError);

    public DateTimeOffset? DeadLetteredAt => Properties.Headers?.TryGetValue(DeadLetterHeaders.Timestamp, out object? value) == true && value is double seconds
        ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
        : null;

    public string? Header(string name) => Properties.Headers?.TryGetValue(name, out object? value) == true
        ? value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            null => null,
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        }
        : null;
}
