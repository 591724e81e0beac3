using System.Text;

namespace QueueInference.Testing;

/// <summary>A message read back from a dead-letter (or any) queue, with its string headers decoded.</summary>
public sealed record DeadLetter(string Body, string? CorrelationId, string? ReplyTo, IReadOnlyDictionary<string, object?> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out object? value) ? value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        null => null,
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    } : null;
}
