using System.Globalization;

namespace QueueInference.Cli.LoadTesting;

/// <summary>
/// One evaluated <c>--fail-if</c> condition: <see cref="Failed"/> when the condition holds (or there is no data).
/// <see cref="Actual"/> is in <see cref="Unit"/>: <c>s</c> for latencies, <c>msg/s</c> for rates, empty for counts.
/// </summary>
public sealed record ThresholdResult(string Condition, double Actual, bool Failed, string Unit = "")
{
    /// <summary>The actual value with its unit, a latency in the unit the condition was written in (<c>3394.0 ms</c>, <c>3.394 s</c>).</summary>
    public string ActualText => Unit switch
    {
        _ when double.IsNaN(Actual) => "no data",
        "s" when Condition.TrimEnd().EndsWith("ms", StringComparison.OrdinalIgnoreCase) => string.Create(CultureInfo.InvariantCulture, $"{Actual * 1000:0.0} ms"),
        "s" => string.Create(CultureInfo.InvariantCulture, $"{Actual:0.000} s"),
        "msg/s" => string.Create(CultureInfo.InvariantCulture, $"{Actual:0.0} msg/s"),
        _ => Actual.ToString("G6", CultureInfo.InvariantCulture),
    };
}
