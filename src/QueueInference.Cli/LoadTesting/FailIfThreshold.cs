using System.Globalization;

namespace QueueInference.Cli.LoadTesting;

/// <summary>
/// A <c>--fail-if</c> condition such as <c>missing&gt;0</c>, <c>p99&gt;250ms</c>,
/// <c>processing.p95&gt;=4s</c> or <c>reply-rate&lt;100</c>. The run fails when the condition holds.
/// Latency metrics need a unit (ms or s) so that "p99&gt;5" cannot be misread; a bare <c>pNN</c>
/// means the seed's total latency.
/// </summary>
public sealed record FailIfThreshold(string Text, string Metric, ThresholdComparison Comparison, double Limit)
{
    private static readonly string[] Counters = ["sent", "replied", "missing", "duplicates", "late", "unknown", "publish-failures"];
    private static readonly string[] Rates = ["send-rate", "reply-rate"];
    private static readonly string[] Series = ["pickup", "processing", "total", "roundtrip"];
    private static readonly string[] Statistics = ["min", "p50", "p75", "p95", "p99", "max", "mean"];

    private static readonly (string Symbol, ThresholdComparison Comparison)[] Operators =
    [
        (">=", ThresholdComparison.GreaterOrEqual),
        ("<=", ThresholdComparison.LessOrEqual),
        ("==", ThresholdComparison.Equal),
        (">", ThresholdComparison.Greater),
        ("<", ThresholdComparison.Less),
    ];

    public static string Help =>
        $"METRIC OP VALUE, OP one of > >= < <= ==. Counters: {string.Join(", ", Counters)}; rates (msg/s): {string.Join(", ", Rates)}; " +
        $"latencies (value needs ms or s): [{string.Join("|", Series)}.]{{{string.Join("|", Statistics)}}} (default series: total).";

    public static bool TryParse(string text, out FailIfThreshold? threshold, out string error)
    {
        threshold = null;
        string compact = text.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        foreach ((string symbol, ThresholdComparison comparison) in Operators)
        {
            int at = compact.IndexOf(symbol, StringComparison.Ordinal);
            if (at <= 0)
            {
                continue;
            }

            string metric = compact[..at];
            string value = compact[(at + symbol.Length)..];
            if (!TryNormalizeMetric(metric, out string normalized, out bool isLatency))
            {
                error = $"unknown metric '{metric}' in '{text}'. {Help}";
                return false;
            }

            if (!TryParseValue(value, isLatency, out double limit, out error))
            {
                error = $"{error} in '{text}'";
                return false;
            }

            threshold = new FailIfThreshold(text, normalized, comparison, limit);
            return true;
        }

        error = $"no comparison operator in '{text}'. {Help}";
        return false;
    }

    public ThresholdResult Evaluate(LoadSummary summary)
    {
        double actual = Read(summary);
        bool holds = Comparison switch
        {
            ThresholdComparison.Greater => actual > Limit,
            ThresholdComparison.GreaterOrEqual => actual >= Limit,
            ThresholdComparison.Less => actual < Limit,
            ThresholdComparison.LessOrEqual => actual <= Limit,
            _ => actual == Limit,
        };

        // A latency or rate without data (no replies) cannot prove the run good.
        string unit = Counters.Contains(Metric) ? string.Empty : Rates.Contains(Metric) ? "msg/s" : "s";
        return new ThresholdResult(Text, actual, holds || double.IsNaN(actual), unit);
    }

    private double Read(LoadSummary summary)
    {
        switch (Metric)
        {
            case "sent": return summary.Sent;
            case "replied": return summary.Replied;
            case "missing": return summary.Missing;
            case "duplicates": return summary.Duplicates;
            case "late": return summary.Late;
            case "unknown": return summary.Unknown;
            case "publish-failures": return summary.PublishFailures;
            case "send-rate": return summary.SendRatePerSecond;
            case "reply-rate": return summary.ReplyRatePerSecond;
            default: break;
        }

        string[] parts = Metric.Split('.');
        LatencyDistribution series = parts[0] switch
        {
            "pickup" => summary.PickUp,
            "processing" => summary.Processing,
            "roundtrip" => summary.RoundTrip,
            _ => summary.Total,
        };
        return parts[1] switch
        {
            "min" => series.Min,
            "p50" => series.P50,
            "p75" => series.P75,
            "p95" => series.P95,
            "p99" => series.P99,
            "max" => series.Max,
            _ => series.Mean,
        };
    }

    private static bool TryNormalizeMetric(string metric, out string normalized, out bool isLatency)
    {
        normalized = metric;
        isLatency = false;
        if (Counters.Contains(metric) || Rates.Contains(metric))
        {
            return true;
        }

        string[] parts = metric.Split('.');
        (string series, string statistic) = parts.Length switch
        {
            1 => ("total", parts[0]),
            2 => (parts[0], parts[1]),
            _ => (string.Empty, string.Empty),
        };
        if (!Series.Contains(series) || !Statistics.Contains(statistic))
        {
            return false;
        }

        normalized = $"{series}.{statistic}";
        isLatency = true;
        return true;
    }

    private static bool TryParseValue(string value, bool isLatency, out double limit, out string error)
    {
        error = string.Empty;
        double scale = 1;
        string number = value;
        if (isLatency)
        {
            if (value.EndsWith("ms", StringComparison.Ordinal))
            {
                scale = 0.001;
                number = value[..^2];
            }
            else if (value.EndsWith('s'))
            {
                number = value[..^1];
            }
            else
            {
                limit = 0;
                error = $"latency limit '{value}' needs a unit (ms or s)";
                return false;
            }
        }

        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) || !double.IsFinite(parsed))
        {
            limit = 0;
            error = $"'{value}' is not a number";
            return false;
        }

        limit = parsed * scale;
        return true;
    }
}
