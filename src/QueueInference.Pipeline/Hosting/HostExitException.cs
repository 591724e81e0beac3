namespace QueueInference.Pipeline.Hosting;

/// <summary>
/// Ends the host with <see cref="ExitCode"/> and these lines on standard error, without a stack trace:
/// for failures that a person must fix and that retrying cannot. Thrown at start-up, or from a
/// BackgroundService, and reported by <see cref="HostRunner"/>.
/// </summary>
public sealed class HostExitException : Exception
{
    public HostExitException(int exitCode, params IReadOnlyList<string> lines)
        : base(string.Join(Environment.NewLine, lines))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(exitCode, 1);
        ArgumentOutOfRangeException.ThrowIfZero(lines.Count);
        ExitCode = exitCode;
        Lines = lines;
    }

    public int ExitCode { get; }

    public IReadOnlyList<string> Lines { get; }
}
