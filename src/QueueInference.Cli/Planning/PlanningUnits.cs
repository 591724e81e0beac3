using System.Globalization;
using QueueInference.Pipeline.Configuration;

namespace QueueInference.Cli.Planning;

/// <summary>Parses the planner's durations (the one syntax of <see cref="Durations"/>: <c>90s</c>, <c>500ms</c>, <c>5m</c>, <c>1h</c>, <c>hh:mm:ss</c>) and rates (<c>250</c>, <c>10x</c>).</summary>
public static class PlanningUnits
{
    /// <summary>Seconds in <paramref name="text"/>; a bare number has no unit and is refused, as everywhere.</summary>
    public static double ParseSeconds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Durations.TryParse(text, out TimeSpan duration, out string error))
        {
            throw new FormatException($"'{text.Trim()}': {error}");
        }

        return duration >= TimeSpan.Zero
            ? duration.TotalSeconds
            : throw new FormatException($"'{text.Trim()}': a duration here must not be negative");
    }

    /// <summary>
    /// Messages per second in <paramref name="text"/>; a trailing <c>x</c> multiplies by
    /// <paramref name="onePodCapacity"/> so that profiles can say "10 pods' worth".
    /// </summary>
    public static double ParseRate(string text, double onePodCapacity)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        bool multiple = trimmed.EndsWith('x') || trimmed.EndsWith('X');
        string number = multiple ? trimmed[..^1] : trimmed;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value < 0 || !double.IsFinite(value))
        {
            throw new FormatException($"'{text}' is not a rate (examples: 250 for msg/s, 10x for ten pods' capacity)");
        }

        return multiple ? value * onePodCapacity : value;
    }

    /// <summary>Seconds as a short human string: <c>45 s</c>, <c>12.5 min</c>.</summary>
    public static string FormatSeconds(double seconds) => seconds switch
    {
        double.PositiveInfinity => "never",
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds:0.#} s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0.#} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0.##} h"),
    };
}
