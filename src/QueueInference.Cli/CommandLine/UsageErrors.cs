using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace QueueInference.Cli.CommandLine;

/// <summary>
/// Reports what is wrong with a command line as one <c>error:</c> line per problem and a pointer to the
/// help, instead of the parser's own output (which also complains about the value of a misspelt option,
/// and names .NET types).
/// </summary>
public static partial class UsageErrors
{
    private const string Unrecognized = "Unrecognized command or argument '";

    /// <summary>Writes the errors of <paramref name="parse"/> and returns <see cref="ExitCodes.Usage"/>.</summary>
    public static int Report(ParseResult parse, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(error);
        foreach (string line in Describe(parse))
        {
            error.WriteLine($"error: {line}");
        }

        string command = string.Join(' ', CommandPath(parse.CommandResult));
        error.WriteLine($"see '{command} --help' for the options");
        return ExitCodes.Usage;
    }

    /// <summary>One line per problem.</summary>
    public static IReadOnlyList<string> Describe(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var lines = new List<string>();
        IReadOnlyList<string> tokens = [.. parse.Tokens.Select(t => t.Value)];
        Command command = parse.CommandResult.Command;
        if (command.Subcommands.Count > 0 && command.Action is null && parse.UnmatchedTokens.Count > 0 && !parse.UnmatchedTokens[0].StartsWith('-'))
        {
            // A misspelt command: the parser would also say that no command was given and reject every option
            // that followed, which belong to the command the user meant.
            string name = parse.UnmatchedTokens[0];
            string[] commands = [.. command.Subcommands.Select(c => c.Name)];
            return [Closest(name, commands) is { } meant
                ? $"unknown command '{name}' (did you mean {meant}?)"
                : $"unknown command '{name}'; the commands are {string.Join(", ", commands)}"];
        }

        foreach (ParseError parseError in parse.Errors)
        {
            string message = parseError.Message;
            if (NotAmong().Match(message) is { Success: true } notAmong)
            {
                // "Argument 'foo' not recognized. Must be one of:" and a line per value: one line, naming the option.
                string values = string.Join(", ", Quoted().Matches(notAmong.Groups["values"].Value).Select(m => m.Groups[1].Value));
                string? option = OptionOf(parseError.SymbolResult);
                lines.Add($"{(option is null ? string.Empty : $"{option} ")}'{notAmong.Groups["value"].Value}': must be one of {values}");
                continue;
            }

            if (parseError.SymbolResult is CommandResult && command.Subcommands.Count > 0 && command.Action is null && parse.UnmatchedTokens.Count == 0 && !message.StartsWith(Unrecognized, StringComparison.Ordinal))
            {
                // "Required command was not provided."
                lines.Add($"give a command: {string.Join(", ", command.Subcommands.Select(c => c.Name))}");
                continue;
            }

            if (!message.StartsWith(Unrecognized, StringComparison.Ordinal))
            {
                lines.Add(message);
                continue;
            }

            string token = message[Unrecognized.Length..^2];
            int at = IndexOf(tokens, token);
            if (at > 0 && IsUnknownOption(tokens[at - 1], command) && !token.StartsWith('-'))
            {
                // The value of a misspelt option: the option's own line says what is wrong.
                continue;
            }

            if (!token.StartsWith('-'))
            {
                lines.Add($"unexpected argument '{token}'");
                continue;
            }

            string? suggestion = Closest(token, AllOptions(command).Select(o => o.Name).Where(name => name.StartsWith("--", StringComparison.Ordinal)));
            lines.Add(suggestion is null ? $"unknown option '{token}'" : $"unknown option '{token}' (did you mean {suggestion}?)");
        }

        return lines.Distinct().ToList();
    }

    private static int IndexOf(IReadOnlyList<string> tokens, string token)
    {
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] == token)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsUnknownOption(string token, Command command) =>
        token.StartsWith('-') && !AllOptions(command).Any(o => o.Name == token || o.Aliases.Contains(token));

    private static IEnumerable<Option> AllOptions(Command command) => command.Options;

    private static string? OptionOf(SymbolResult? result)
    {
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is OptionResult option)
            {
                return option.Option.Name;
            }
        }

        return null;
    }

    /// <summary>The name within two edits of <paramref name="token"/>, if one is.</summary>
    private static string? Closest(string token, IEnumerable<string> names) => names
        .Select(name => (Name: name, Distance: EditDistance(token, name)))
        .Where(candidate => candidate.Distance <= 2)
        .OrderBy(candidate => candidate.Distance)
        .Select(candidate => candidate.Name)
        .FirstOrDefault();

    /// <summary>Optimal string alignment distance (Levenshtein plus swaps of neighbours: "--cuont" is one edit from "--count").</summary>
    private static int EditDistance(string a, string b)
    {
        int[,] d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private static Stack<string> CommandPath(CommandResult result)
    {
        var names = new Stack<string>();
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult commandResult)
            {
                names.Push(commandResult.Parent is null ? "qi" : commandResult.Command.Name);
            }
        }

        return names;
    }

    // System.CommandLine's UnrecognizedArgument text (AcceptOnlyFromAmong); a test pins it.
    [GeneratedRegex(@"^Argument '(?<value>.*)' not recognized\. Must be one of:(?<values>.*)$", RegexOptions.Singleline)]
    private static partial Regex NotAmong();

    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex Quoted();
}
