using System.CommandLine;
using QueueInference.Cli.CommandLine;
using QueueInference.Cli.DeadLetters;
using QueueInference.Cli.LoadTesting;
using QueueInference.Cli.Planning;

namespace QueueInference.Cli.Tests.CommandLine;

/// <summary>qi's command line as a user meets it: the real command tree, parsed and reported as Program.cs does.</summary>
public sealed class CommandLineTests
{
    private static RootCommand Root()
    {
        RootCommand root = new("qi");
        root.Subcommands.Add(LoadCommand.Create());
        root.Subcommands.Add(PlanCommand.Create());
        root.Subcommands.Add(DeadLetterCommand.Create());
        OptionParsers.Apply(root);
        return root;
    }

    private static (int ExitCode, string[] Lines) Report(params string[] args)
    {
        ParseResult parse = Root().Parse(args);
        using var error = new StringWriter();
        int exitCode = parse.Errors.Count > 0 ? UsageErrors.Report(parse, error) : ExitCodes.Ok;
        return (exitCode, error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("-d", "60")]
    [InlineData("--duration", "3")]
    [InlineData("--wait", "120")]
    [InlineData("--reply-timeout", "5")]
    public void Parse_BareNumberDuration_OneLineWithTheAcceptedForms(string option, string value)
    {
        // Act
        (int exitCode, string[] lines) = Report("load", "-r", "5", option, value);

        // Assert
        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal($"error: {option} '{value}': a bare number has no unit; write 500ms, 3s, 1m, 1h or hh:mm:ss", lines[0]);
        Assert.Equal("see 'qi load --help' for the options", lines[1]);
        Assert.Equal(2, lines.Length);
    }

    [Theory]
    [InlineData("1m", 60)]
    [InlineData("500ms", 0.5)]
    [InlineData("00:01:30", 90)]
    public void Parse_DurationWithUnit_IsRead(string value, double seconds)
    {
        // Arrange
        RootCommand root = Root();
        Option<TimeSpan?> duration = root.Subcommands.Single(c => c.Name == "load").Options.OfType<Option<TimeSpan?>>().Single(o => o.Name == "--duration");

        // Act
        ParseResult parse = root.Parse(["load", "-r", "5", "-d", value]);

        // Assert
        Assert.Empty(parse.Errors);
        Assert.Equal(TimeSpan.FromSeconds(seconds), parse.GetValue(duration));
    }

    [Fact]
    public void Parse_CountNotANumber_NamesTheOptionNotATypeName()
    {
        // Act
        (int exitCode, string[] lines) = Report("load", "-n", "abc");

        // Assert
        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal("error: -n 'abc': not a whole number", lines[0]);
        Assert.DoesNotContain(lines, l => l.Contains("System.", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MisspeltOption_OneLineWithTheSuggestionAndNothingAboutItsValue()
    {
        // Act
        (int exitCode, string[] lines) = Report("load", "--cuont", "10");

        // Assert
        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal(["error: unknown option '--cuont' (did you mean --count?)", "see 'qi load --help' for the options"], lines);
    }

    [Fact]
    public void Parse_NoCommand_ListsTheCommands()
    {
        // Act
        (int exitCode, string[] lines) = Report();

        // Assert
        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal("error: give a command: load, plan, dlq", lines[0]);
    }

    [Theory]
    [InlineData(new[] { "laod", "-n", "5" }, "error: unknown command 'laod' (did you mean load?)", "see 'qi --help' for the options")]
    [InlineData(new[] { "dlq", "lst" }, "error: unknown command 'lst' (did you mean list?)", "see 'qi dlq --help' for the options")]
    [InlineData(new[] { "frobnicate" }, "error: unknown command 'frobnicate'; the commands are load, plan, dlq", "see 'qi --help' for the options")]
    public void Parse_MisspeltCommand_OneLineWithTheSuggestion(string[] args, string expected, string help)
    {
        // Act
        (int exitCode, string[] lines) = Report(args);

        // Assert
        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal([expected, help], lines);
    }

    [Fact]
    public void Parse_ValueNotAmongTheChoices_OneLineNamingTheOptionAndTheChoices()
    {
        // Act
        (int exitCode, string[] lines) = Report("plan", "--mode", "foo");

        // Assert
        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal(["error: --mode 'foo': must be one of worker, functions, compare", "see 'qi plan --help' for the options"], lines);
    }

    [Fact]
    public void Parse_RateNotANumber_SaysSo()
    {
        // Act
        (_, string[] lines) = Report("load", "-r", "fast", "-d", "1m");

        // Assert
        Assert.Equal("error: -r 'fast': not a number (use a dot for decimals)", lines[0]);
    }
}
