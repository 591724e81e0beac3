namespace QueueInference.Cli.CommandLine;

/// <summary>
/// Where qi writes reports: one folder per run under <see cref="DefaultDirectory"/> in the current
/// directory (the repository's .gitignore ignores it), unless a command is told otherwise.
/// </summary>
public static class QiReports
{
    public const string DefaultDirectory = "qi-reports";

    /// <summary>The folder of one run, such as <c>qi-reports/load-3f2a9c1e</c>.</summary>
    public static string RunDirectory(string runName, string? root = null) => Path.Combine(root ?? DefaultDirectory, runName);
}
