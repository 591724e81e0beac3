using System.Globalization;
using System.Text.RegularExpressions;

namespace QueueInference.Cli.Benchmarking;

/// <summary>
/// The worker's own lines about a connection loss (its OutageReport): when it saw the connection go, with
/// how many requests in flight, and when it consumed again. A benchmark polling /metrics every 100 ms can
/// miss an outage the worker recovers from in 0.1 s (a SIGKILLed cluster node, a host list to fail over
/// to); these lines cannot.
/// </summary>
public static partial class WorkerOutageLog
{
    /// <summary>"Connection lost ({Reason}) with {InFlight} request(s) in flight: …"</summary>
    public const string LostFragment = "Connection lost (";

    /// <summary>"Connection recovered after {Seconds:F1} s, to {Endpoint}; …"</summary>
    public const string RecoveredFragment = "Connection recovered after";

    /// <summary>The fragments a pod's process is watched for.</summary>
    public static IReadOnlyList<string> Fragments { get; } = [LostFragment, RecoveredFragment];

    /// <summary>The first line containing <paramref name="fragment"/> read at or after <paramref name="since"/> (Unix seconds).</summary>
    public static PodLogLine? FirstSince(IReadOnlyList<PodLogLine> lines, string fragment, double since) =>
        lines.FirstOrDefault(line => line.At >= since && line.Text.Contains(fragment, StringComparison.Ordinal));

    /// <summary>The requests in flight a "Connection lost" line reports; null when the line has none.</summary>
    public static long? InFlightAtLoss(string line) =>
        LostWith().Match(line) is { Success: true } match && long.TryParse(match.Groups["inFlight"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long inFlight)
            ? inFlight
            : null;

    /// <summary>The seconds in a "Connection recovered after 3.2 s, to …" line; null when the line has none.</summary>
    public static double? ReportedOutageSeconds(string line) =>
        RecoveredAfter().Match(line) is { Success: true } match
        && double.TryParse(match.Groups["seconds"].Value.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
            ? seconds
            : null;

    [GeneratedRegex(@"Connection lost \(.*\) with (?<inFlight>\d+) request\(s\) in flight")]
    private static partial Regex LostWith();

    [GeneratedRegex(@"Connection recovered after (?<seconds>\d+(?:[.,]\d+)?) s")]
    private static partial Regex RecoveredAfter();
}
