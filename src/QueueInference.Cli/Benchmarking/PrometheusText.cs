using System.Globalization;

namespace QueueInference.Cli.Benchmarking;

/// <summary>Reads one metric from Prometheus' text exposition format (what the worker serves on /metrics).</summary>
public static class PrometheusText
{
    /// <summary>The sum of <paramref name="metric"/>'s samples over all label sets, or null when it has none.</summary>
    public static double? Read(string exposition, string metric)
    {
        double? sum = null;
        foreach (string raw in exposition.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#' || !line.StartsWith(metric, StringComparison.Ordinal) || line.Length == metric.Length)
            {
                continue;
            }

            // The name ends at '{' (labels) or a space; a longer name such as metric_total is another metric.
            char next = line[metric.Length];
            if (next is not ('{' or ' '))
            {
                continue;
            }

            int valueStart = next == '{' ? line.IndexOf('}', metric.Length) + 1 : metric.Length;
            if (valueStart <= 0)
            {
                continue;
            }

            // "value [timestamp]"
            string[] fields = line[valueStart..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0 && double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                sum = (sum ?? 0) + value;
            }
        }

        return sum;
    }
}
