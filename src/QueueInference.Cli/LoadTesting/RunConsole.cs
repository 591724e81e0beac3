using System.Globalization;

namespace QueueInference.Cli.LoadTesting;

/// <summary>
/// Prints lines tagged with the tool and run id, so output of concurrent runs (and of the
/// benchmark's many runs) stays attributable. On a terminal a progress line is redrawn in place.
/// </summary>
public sealed class RunConsole(string tool, string runId, TextWriter output, bool isTerminal)
{
    private readonly Lock _lock = new();
    private bool _progressShown;

    public static RunConsole ForStandardOutput(string tool, string runId) =>
        new(tool, runId, Console.Out, !Console.IsOutputRedirected);

    public string RunId => runId;

    public bool IsTerminal => isTerminal;

    /// <summary>Writes one line from a composite format template, formatted invariantly.</summary>
    public void Line(string template, params object?[] args)
    {
        string text = string.Format(CultureInfo.InvariantCulture, template, args);
        lock (_lock)
        {
            ClearProgress();
            output.WriteLine($"[{tool} {runId}] {text}");
        }
    }

    /// <summary>On a terminal, redraws the live progress line; elsewhere writes it as a plain line.</summary>
    public void Progress(string template, params object?[] args)
    {
        if (!isTerminal)
        {
            Line(template, args);
            return;
        }

        string text = string.Format(CultureInfo.InvariantCulture, template, args);
        lock (_lock)
        {
            output.Write($"\r[{tool} {runId}] {text}\u001b[K");
            output.Flush();
            _progressShown = true;
        }
    }

    private void ClearProgress()
    {
        if (_progressShown)
        {
            output.Write("\r\u001b[K");
            _progressShown = false;
        }
    }
}
