using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace QueueInference.Pipeline.Tests.Tracing;

/// <summary>Prints spans as an indented tree, with each one's offset from the first and its duration.</summary>
internal static class SpanTree
{
    public static string Print(IReadOnlyList<Activity> spans, ActivitySpanId root)
    {
        var text = new StringBuilder();
        DateTime origin = spans.Count > 0 ? spans.Min(s => s.StartTimeUtc) : default;
        text.AppendLine(CultureInfo.InvariantCulture, $"requester span {root}");
        Append(text, spans, root, origin, 1);
        return text.ToString();
    }

    private static void Append(StringBuilder text, IReadOnlyList<Activity> spans, ActivitySpanId parent, DateTime origin, int depth)
    {
        foreach (Activity span in spans.Where(s => s.ParentSpanId == parent).OrderBy(s => s.StartTimeUtc))
        {
            string tags = string.Join(", ", span.TagObjects.Select(t => $"{t.Key}={t.Value}"));
            string events = string.Join(", ", span.Events.Select(e => e.Name));
            text.AppendLine(CultureInfo.InvariantCulture, $"{new string(' ', depth * 2)}└─ {span.DisplayName} [{span.Kind}] span {span.SpanId} +{(span.StartTimeUtc - origin).TotalMilliseconds:F3} ms, {span.Duration.TotalMilliseconds:F3} ms{(tags.Length > 0 ? $" {{{tags}}}" : "")}{(events.Length > 0 ? $" events: {events}" : "")}");
            Append(text, spans, span.SpanId, origin, depth + 1);
        }
    }
}
