using System.ComponentModel;
using System.Globalization;
using System.Text.RegularExpressions;

namespace QueueInference.Pipeline.Configuration;

/// <summary>
/// The one duration syntax of every setting and flag: <c>500ms</c>, <c>3s</c>, <c>1m</c>, <c>1h</c>
/// (a decimal number and a unit) or <c>hh:mm:ss</c> (.NET's own TimeSpan form, <c>[d.]hh:mm:ss[.fffffff]</c>).
/// A bare number is refused, because .NET would read <c>3</c> as three days; only <c>0</c> needs no unit.
/// </summary>
/// <remarks>
/// The <c>hh:mm:ss</c> form is parsed by <see cref="TimeSpan.TryParse(string, IFormatProvider, out TimeSpan)"/>.
/// The unit form is a short regular expression, not a library: of the parsers the package mirror serves,
/// UnitsNet's <c>Duration.TryParse</c> reads these forms but its first call took 0.5–1.3 s here (it builds
/// the abbreviations of every quantity), against the worker's 500 ms cold-start target, and NodaTime's
/// duration patterns have no unit suffixes; TimeSpanParser is not served.
/// </remarks>
public static partial class Durations
{
    /// <summary>The accepted forms, as error messages and help texts show them.</summary>
    public const string AcceptedForms = "500ms, 3s, 1m, 1h or hh:mm:ss";

    private static int _registered;

    /// <summary>
    /// Makes the configuration binder (Microsoft.Extensions.Configuration, which converts through the
    /// TimeSpan type's <see cref="TypeConverter"/>) read every TimeSpan setting with this syntax.
    /// Process-wide and idempotent.
    /// </summary>
    public static void UseForTimeSpanSettings()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            TypeDescriptor.AddAttributes(typeof(TimeSpan), new TypeConverterAttribute(typeof(DurationConverter)));
        }
    }

    /// <summary>Reads <paramref name="text"/> or throws a <see cref="FormatException"/> whose message is the rule and the accepted forms.</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out TimeSpan value, out string error) ? value : throw new FormatException(error);

    /// <summary>Reads <paramref name="text"/>; on failure <paramref name="error"/> gives the rule (without the value) and the accepted forms.</summary>
    public static bool TryParse(string? text, out TimeSpan value, out string error)
    {
        value = TimeSpan.Zero;
        error = string.Empty;
        string trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            error = $"empty; write {AcceptedForms}";
            return false;
        }

        if (trimmed.Contains(':', StringComparison.Ordinal))
        {
            if (TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out value))
            {
                return true;
            }

            error = $"not a duration; write {AcceptedForms}";
            return false;
        }

        Match match = UnitForm().Match(trimmed);
        if (!match.Success)
        {
            bool bareNumber = double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double number);
            if (bareNumber && number == 0)
            {
                return true;
            }

            error = bareNumber
                ? $"a bare number has no unit; write {AcceptedForms}"
                : $"not a duration; write {AcceptedForms}";
            return false;
        }

        double amount = double.Parse(match.Groups["amount"].Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        double milliseconds = match.Groups["unit"].Value switch
        {
            "ms" => amount,
            "s" => amount * 1_000,
            "m" => amount * 60_000,
            _ => amount * 3_600_000,
        };
        if (Math.Abs(milliseconds) >= TimeSpan.MaxValue.TotalMilliseconds)
        {
            error = "longer than a duration can be";
            return false;
        }

        // Ticks, not FromMilliseconds(double), so that 0.1s is exactly 100 ms.
        value = TimeSpan.FromTicks((long)Math.Round(milliseconds * TimeSpan.TicksPerMillisecond));
        return true;
    }

    /// <summary>A duration in the shortest unit form that is exact (<c>3s</c>, <c>1500ms</c>, <c>2m</c>; zero as <c>0</c>), else <c>hh:mm:ss.fffffff</c>.</summary>
    public static string Format(TimeSpan value)
    {
        long ticks = value.Ticks;
        if (ticks == 0)
        {
            return "0";
        }

        (long Ticks, string Unit)[] units = [(TimeSpan.TicksPerHour, "h"), (TimeSpan.TicksPerMinute, "m"), (TimeSpan.TicksPerSecond, "s"), (TimeSpan.TicksPerMillisecond, "ms")];
        foreach ((long unitTicks, string unit) in units)
        {
            if (ticks % unitTicks == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{ticks / unitTicks}{unit}");
            }
        }

        return value.ToString("c", CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^(?<amount>[-+]?(\d+(\.\d*)?|\.\d+))(?<unit>ms|s|m|h)$", RegexOptions.CultureInvariant)]
    private static partial Regex UnitForm();
}
