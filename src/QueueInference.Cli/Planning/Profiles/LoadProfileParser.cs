using System.Globalization;

namespace QueueInference.Cli.Planning.Profiles;

/// <summary>
/// Reads <c>--profile</c>: <c>step:A-&gt;B@T[..T2]</c>, <c>ramp:A-&gt;B@T1..T2</c>, <c>spike:BASE-&gt;PEAK@T+D</c>,
/// <c>sine:MEAN,AMPLITUDE,PERIOD</c> or <c>csv:PATH</c>; rates accept the <c>x</c> suffix (see <see cref="PlanningUnits.ParseRate"/>).
/// </summary>
/// <param name="onePodCapacity">What <c>1x</c> means, in msg/s.</param>
/// <param name="readLines">Reads a CSV file; injected so that parsing stays free of I/O in tests.</param>
public sealed class LoadProfileParser(double onePodCapacity, Func<string, IEnumerable<string>> readLines)
{
    public ILoadProfile Parse(string specification)
    {
        ArgumentNullException.ThrowIfNull(specification);
        int colon = specification.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new FormatException($"profile '{specification}' needs a kind: step:, ramp:, spike:, sine: or csv:");
        }

        string kind = specification[..colon].Trim().ToLowerInvariant();
        string body = specification[(colon + 1)..].Trim();
        return kind switch
        {
            "step" => ParseStep(body),
            "ramp" => ParseRamp(body),
            "spike" => ParseSpike(body),
            "sine" => ParseSine(body),
            "csv" => ParseCsv(body),
            _ => throw new FormatException($"unknown profile kind '{kind}': use step, ramp, spike, sine or csv"),
        };
    }

    private StepProfile ParseStep(string body)
    {
        (double before, double after, string when) = SplitRates(body, "step:0->10x@60s[..660s]");
        string[] times = when.Split("..", StringSplitOptions.TrimEntries);
        double start = PlanningUnits.ParseSeconds(times[0]);
        double? end = times.Length > 1 ? PlanningUnits.ParseSeconds(times[1]) : null;
        if (end <= start)
        {
            throw new FormatException($"step end {times[1]} must come after its start {times[0]}");
        }

        return new StepProfile(before, after, start, end);
    }

    private RampProfile ParseRamp(string body)
    {
        (double from, double to, string when) = SplitRates(body, "ramp:0->10x@60s..600s");
        string[] times = when.Split("..", StringSplitOptions.TrimEntries);
        if (times.Length != 2)
        {
            throw new FormatException("ramp needs a start and an end: ramp:0->10x@60s..600s");
        }

        double start = PlanningUnits.ParseSeconds(times[0]);
        double end = PlanningUnits.ParseSeconds(times[1]);
        return end > start ? new RampProfile(from, to, start, end) : throw new FormatException("ramp end must come after its start");
    }

    private SpikeProfile ParseSpike(string body)
    {
        (double baseRate, double peak, string when) = SplitRates(body, "spike:1x->20x@120s+30s");
        string[] parts = when.Split('+', StringSplitOptions.TrimEntries);
        if (parts.Length != 2)
        {
            throw new FormatException("spike needs a start and a length: spike:1x->20x@120s+30s");
        }

        return new SpikeProfile(baseRate, peak, PlanningUnits.ParseSeconds(parts[0]), PlanningUnits.ParseSeconds(parts[1]));
    }

    private SineProfile ParseSine(string body)
    {
        string[] parts = body.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 3)
        {
            throw new FormatException("sine needs mean, amplitude and period: sine:5x,4x,600s");
        }

        double period = PlanningUnits.ParseSeconds(parts[2]);
        return period > 0
            ? new SineProfile(PlanningUnits.ParseRate(parts[0], onePodCapacity), PlanningUnits.ParseRate(parts[1], onePodCapacity), period)
            : throw new FormatException("sine period must be positive");
    }

    private PiecewiseProfile ParseCsv(string path)
    {
        var points = new List<(double, double)>();
        int lineNumber = 0;
        foreach (string line in readLines(path))
        {
            lineNumber++;
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            string[] cells = trimmed.Split(',', StringSplitOptions.TrimEntries);
            // The column is time_seconds: its unit is in its name, so its cells are plain numbers.
            if (cells.Length < 2 || !double.TryParse(cells[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || seconds < 0)
            {
                // A header row (time_seconds,rate) is allowed; anything else that is not two numbers is an error.
                if (points.Count == 0 && lineNumber == 1)
                {
                    continue;
                }

                throw new FormatException($"{path}:{lineNumber}: expected 'time_seconds,rate'");
            }

            points.Add((seconds, PlanningUnits.ParseRate(cells[1], onePodCapacity)));
        }

        return new PiecewiseProfile(points, path);
    }

    private (double First, double Second, string When) SplitRates(string body, string example)
    {
        int arrow = body.IndexOf("->", StringComparison.Ordinal);
        int at = body.IndexOf('@', StringComparison.Ordinal);
        if (arrow <= 0 || at < arrow)
        {
            throw new FormatException($"expected the form {example}");
        }

        return (PlanningUnits.ParseRate(body[..arrow], onePodCapacity),
            PlanningUnits.ParseRate(body[(arrow + 2)..at], onePodCapacity),
            body[(at + 1)..]);
    }
}
