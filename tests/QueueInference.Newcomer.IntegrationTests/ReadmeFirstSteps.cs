namespace QueueInference.Newcomer.IntegrationTests;

/// <summary>
/// The command lines of the README's "First steps": the fenced bash block between the
/// <c>&lt;!-- first-steps:begin --&gt;</c> and <c>&lt;!-- first-steps:end --&gt;</c> comments, read from the
/// README itself so that the test and the text cannot drift apart.
/// </summary>
public static class ReadmeFirstSteps
{
    public const string Begin = "<!-- first-steps:begin -->";
    public const string End = "<!-- first-steps:end -->";

    public static IReadOnlyList<string> Commands(string readme)
    {
        ArgumentNullException.ThrowIfNull(readme);
        int begin = readme.IndexOf(Begin, StringComparison.Ordinal);
        int end = readme.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException($"README.md has no block between {Begin} and {End}.");
        }

        string[] lines = readme[(begin + Begin.Length)..end].Split('\n', StringSplitOptions.TrimEntries);
        int fence = Array.FindIndex(lines, l => l.StartsWith("```bash", StringComparison.Ordinal));
        int close = Array.FindIndex(lines, fence + 1, l => l == "```");
        if (fence < 0 || close < 0)
        {
            throw new InvalidOperationException("The first-steps block has no ```bash fence.");
        }

        return [.. lines[(fence + 1)..close].Where(l => l.Length > 0 && !l.StartsWith('#'))];
    }
}
