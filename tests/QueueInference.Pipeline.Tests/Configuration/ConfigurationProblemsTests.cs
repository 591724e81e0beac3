using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Configuration;

namespace QueueInference.Pipeline.Tests.Configuration;

public sealed class ConfigurationProblemsTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    /// <summary>Binds and validates <see cref="SampleOptions"/> as the hosts do, returning what the options stack throws.</summary>
    private static Exception BindFailure(IConfiguration configuration)
    {
        Durations.UseForTimeSpanSettings();
        var services = new ServiceCollection();
        services.AddOptions<SampleOptions>().Bind(configuration.GetSection(SampleOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.Timeout >= o.Interval, "Sample:Timeout must not be shorter than Sample:Interval.");
        using ServiceProvider provider = services.BuildServiceProvider();
        return Record.Exception(() => provider.GetRequiredService<IOptions<SampleOptions>>().Value)
            ?? throw new InvalidOperationException("The settings were valid.");
    }

    [Fact]
    public void Describe_BareNumberDuration_NamesSettingValueEnvironmentVariableAndForms()
    {
        // Arrange
        IConfiguration configuration = Settings(("Sample:Interval", "3"));

        // Act
        IReadOnlyList<string>? lines = ConfigurationProblems.Describe(BindFailure(configuration), configuration);

        // Assert
        string line = Assert.Single(lines!);
        Assert.Equal($"Sample:Interval = '3' (env Sample__Interval): a bare number has no unit; write {Durations.AcceptedForms}", line);
    }

    [Fact]
    public void Describe_ConversionFailureWithoutConfiguration_TakesTheValueFromTheMessage()
    {
        // Arrange
        IConfiguration configuration = Settings(("Sample:Count", "abc"));

        // Act
        IReadOnlyList<string>? lines = ConfigurationProblems.Describe(BindFailure(configuration), configuration: null);

        // Assert
        Assert.Equal("Sample:Count = 'abc' (env Sample__Count): must be a whole number (at most 2147483647)", Assert.Single(lines!));
    }

    [Fact]
    public void Describe_UnknownEnumName_ListsTheNames()
    {
        // Arrange
        IConfiguration configuration = Settings(("Sample:Mode", "Fastest"));

        // Act
        IReadOnlyList<string>? lines = ConfigurationProblems.Describe(BindFailure(configuration), configuration);

        // Assert
        Assert.Equal("Sample:Mode = 'Fastest' (env Sample__Mode): must be one of Fast, Thorough", Assert.Single(lines!));
    }

    [Fact]
    public void Describe_DataAnnotationRange_StatesTheRule()
    {
        // Arrange
        IConfiguration configuration = Settings(("Sample:Count", "0"));

        // Act
        IReadOnlyList<string>? lines = ConfigurationProblems.Describe(BindFailure(configuration), configuration);

        // Assert
        Assert.Equal("Sample:Count = '0' (env Sample__Count): must be between 1 and 100", Assert.Single(lines!));
    }

    [Fact]
    public void Describe_DurationRange_StatesTheBoundsInTheDurationSyntax()
    {
        // Arrange
        IConfiguration configuration = Settings(("Sample:Interval", "2h"), ("Sample:Timeout", "3h"));

        // Act
        IReadOnlyList<string>? lines = ConfigurationProblems.Describe(BindFailure(configuration), configuration);

        // Assert
        Assert.Equal("Sample:Interval = '2h' (env Sample__Interval): must be between 0 and 1h", Assert.Single(lines!));
    }

    [Fact]
    public void Describe_RuleWrittenAsSettingColonRule_SameLineAsTheOthers()
    {
        // Arrange
        IConfiguration configuration = Settings(("Sample:Name", "x"));
        var failure = new OptionsValidationException("", typeof(SampleOptions), ["Sample:Name: names nothing."]);

        // Act
        IReadOnlyList<string>? lines = ConfigurationProblems.Describe(failure, configuration);

        // Assert
        Assert.Equal("Sample:Name = 'x' (env Sample__Name): names nothing", Assert.Single(lines!));
    }

    [Theory]
    [InlineData("20m")]
    [InlineData("999ms")]
    public void Describe_DurationOutsideDurationRange_StatesTheBoundsInTheDurationSyntax(string window)
    {
        // Arrange
        IConfiguration configuration = Settings(("Sample:Window", window));

        // Act
        IReadOnlyList<string>? lines = ConfigurationProblems.Describe(BindFailure(configuration), configuration);

        // Assert
        Assert.Equal($"Sample:Window = '{window}' (env Sample__Window): must be between 1s and 10m", Assert.Single(lines!));
    }

    [Theory]
    [InlineData("1s")]
    [InlineData("10m")]
    public void Validate_DurationOnDurationRangeBound_IsValid(string window)
    {
        // Arrange
        IConfiguration configuration = Settings(("Sample:Window", window));
        Durations.UseForTimeSpanSettings();
        var services = new ServiceCollection();
        services.AddOptions<SampleOptions>().Bind(configuration.GetSection(SampleOptions.SectionName)).ValidateDataAnnotations();
        using ServiceProvider provider = services.BuildServiceProvider();

        // Act
        SampleOptions options = provider.GetRequiredService<IOptions<SampleOptions>>().Value;

        // Assert
        Assert.Equal(Durations.Parse(window), options.Window);
    }

    [Fact]
    public void DescribeAll_ProblemsInTwoSections_NamesBoth()
    {
        // Arrange
        Durations.UseForTimeSpanSettings();
        IConfiguration configuration = Settings(("Sample:Interval", "3"), ("Other:Count", "0"));
        var services = new ServiceCollection();
        services.AddOptions<SampleOptions>().Bind(configuration.GetSection(SampleOptions.SectionName)).ValidateDataAnnotations().ValidateOnStartAsSection();
        services.AddOptions<OtherOptions>().Bind(configuration.GetSection(OtherOptions.SectionName)).ValidateDataAnnotations().ValidateOnStartAsSection();

        // Act
        IReadOnlyList<string> lines = ConfigurationProblems.DescribeAll(services, configuration);

        // Assert
        Assert.Equal(
            [
                $"Sample:Interval = '3' (env Sample__Interval): a bare number has no unit; write {Durations.AcceptedForms}",
                "Other:Count = '0' (env Other__Count): must be between 1 and 100",
            ],
            lines);
    }

    [Fact]
    public void Describe_RuleNamingSettings_ShowsTheirValues()
    {
        // Arrange
        IConfiguration configuration = Settings(("Sample:Interval", "5s"), ("Sample:Timeout", "1s"));

        // Act
        IReadOnlyList<string>? lines = ConfigurationProblems.Describe(BindFailure(configuration), configuration);

        // Assert
        Assert.Equal("Sample:Timeout must not be shorter than Sample:Interval (Sample:Timeout = '1s', Sample:Interval = '5s')", Assert.Single(lines!));
    }

    [Theory]
    [InlineData("Sample:ConnectionString", "amqp://user:hunter2@broker:5672/", "'amqp://user:***@broker:5672/'")]
    [InlineData("Sample:ConnectionString", "not a uri with hunter2", "'(not an amqp:// or amqps:// URI)'")]
    [InlineData("Sample:ConnectionString", "http://user:hunter2@broker/", "'(not an amqp:// or amqps:// URI)'")]
    [InlineData("Sample:ConnectionString", "amqp://user:hunter2@a:5672,b:5672/", "'amqp://user:***@a:5672,b:5672/'")]
    [InlineData("Sample:Url", "https://user:hunter2@host/", "'https://user:***@host/'")]
    [InlineData("Sample:Password", "hunter2", "'***'")]
    [InlineData("Sample:Queue", "requests", "'requests'")]
    public void Describe_SecretValue_IsRedacted(string key, string value, string expected)
    {
        // Arrange
        var problem = new InvalidSettingException(key, value, "is wrong");

        // Act
        string line = Assert.Single(ConfigurationProblems.Describe(problem, Settings((key, value)))!);

        // Assert
        Assert.Equal($"{key} = {expected} (env {key.Replace(":", "__", StringComparison.Ordinal)}): is wrong", line);
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_MalformedSettingsFile_NamesTheFile()
    {
        // Arrange
        string path = Path.Combine(Path.GetTempPath(), $"qi-settings-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{ \"IoStep\": { \"Delay\": ");
        try
        {
            // Act
            Exception error = Assert.ThrowsAny<Exception>(() => new ConfigurationBuilder().AddJsonFile(path).Build());
            IReadOnlyList<string>? lines = ConfigurationProblems.Describe(error, configuration: null);

            // Assert
            Assert.StartsWith($"{path} cannot be read: ", Assert.Single(lines!), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Describe_OtherException_IsNotAConfigurationProblem()
    {
        // Act
        IReadOnlyList<string>? lines = ConfigurationProblems.Describe(new InvalidOperationException("broken"), Settings());

        // Assert
        Assert.Null(lines);
    }

    public enum SampleMode
    {
        Fast,
        Thorough,
    }

    public sealed class SampleOptions
    {
        public const string SectionName = "Sample";

        [Range(1, 100)]
        public int Count { get; set; } = 1;

        [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
        public TimeSpan Interval { get; set; }

        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(1);

        [DurationRange("1s", "10m")]
        public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(1);

        public SampleMode Mode { get; set; }
    }

    public sealed class OtherOptions
    {
        public const string SectionName = "Other";

        [Range(1, 100)]
        public int Count { get; set; } = 1;
    }
}
