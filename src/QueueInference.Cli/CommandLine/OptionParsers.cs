using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using QueueInference.Pipeline.Configuration;

namespace QueueInference.Cli.CommandLine;

/// <summary>
/// Gives every option of a command tree the same value syntax and error messages, by type, so that no
/// command parses on its own: durations as everywhere (<see cref="Durations"/>: a bare number is refused),
/// and numbers with a message that names the option instead of a .NET type.
/// </summary>
public static class OptionParsers
{
    public static void Apply(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (Option option in command.Options)
        {
            switch (option)
            {
                case Option<TimeSpan> duration when duration.CustomParser is null:
                    duration.CustomParser = result => ParseDuration(result) ?? default;
                    break;
                case Option<TimeSpan?> duration when duration.CustomParser is null:
                    duration.CustomParser = ParseDuration;
                    break;
                case Option<int> number when number.CustomParser is null:
                    number.CustomParser = result => ParseInt(result) ?? default;
                    break;
                case Option<int?> number when number.CustomParser is null:
                    number.CustomParser = ParseInt;
                    break;
                case Option<double> number when number.CustomParser is null:
                    number.CustomParser = result => ParseDouble(result) ?? default;
                    break;
                case Option<double?> number when number.CustomParser is null:
                    number.CustomParser = ParseDouble;
                    break;
                default:
                    break;
            }
        }

        foreach (Command subcommand in command.Subcommands)
        {
            Apply(subcommand);
        }
    }

    private static TimeSpan? ParseDuration(ArgumentResult result)
    {
        string text = Token(result);
        if (Durations.TryParse(text, out TimeSpan value, out string error))
        {
            return value;
        }

        result.AddError($"{OptionName(result)} '{text}': {error}");
        return null;
    }

    private static int? ParseInt(ArgumentResult result)
    {
        string text = Token(result);
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            return value;
        }

        result.AddError($"{OptionName(result)} '{text}': not a whole number");
        return null;
    }

    private static double? ParseDouble(ArgumentResult result)
    {
        string text = Token(result);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
        {
            return value;
        }

        result.AddError($"{OptionName(result)} '{text}': not a number (use a dot for decimals)");
        return null;
    }

    private static string Token(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;

    private static string OptionName(ArgumentResult result) => result.Parent is OptionResult option
        ? option.IdentifierToken?.Value ?? option.Option.Name
        : result.Argument.Name;
}
