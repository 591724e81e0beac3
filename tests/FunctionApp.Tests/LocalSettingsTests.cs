using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using QueueInference.Pipeline.Configuration;
using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Inference;
using QueueInference.Pipeline.Messaging;
using QueueInference.Pipeline.Observability;
using QueueInference.Pipeline.Processing;
using QueueInference.Pipeline.Stages;

namespace QueueInference.FunctionApp.Tests;

/// <summary>local.settings.json must use the worker host's setting names and the pipeline's defaults (issue 3).</summary>
public sealed class LocalSettingsTests
{
    private const string WorkerRuntimeKey = "FUNCTIONS_WORKER_RUNTIME";

    /// <summary>Settings of the Functions host itself (host.json overrides), not of the pipeline.</summary>
    private const string HostSettingPrefix = "AzureFunctionsJobHost__";

    /// <summary>The RabbitMQ extension's TLS setting for the trigger's own connection (RabbitMQOptions.DisableCertificateValidation).</summary>
    private const string TriggerCertificateValidationKey = "AzureFunctionsJobHost__extensions__rabbitMQ__disableCertificateValidation";

    public static TheoryData<Type, string> PipelineSections => new()
    {
        { typeof(ContractOptions), ContractOptions.SectionName },
        { typeof(IoStepOptions), IoStepOptions.SectionName },
        { typeof(TransformationOptions), TransformationOptions.SectionName },
        { typeof(InferenceOptions), InferenceOptions.SectionName },
        { typeof(RabbitMQOptions), RabbitMQOptions.SectionName },
        { typeof(ReplyOptions), ReplyOptions.SectionName },
        { typeof(RetryOptions), RetryOptions.SectionName },
        { typeof(PipelineOptions), PipelineOptions.SectionName },
        { typeof(ObservabilityOptions), ObservabilityOptions.SectionName },
    };

    [Fact]
    public void Values_WorkerRuntime_IsDotnetIsolated()
    {
        // Arrange
        Dictionary<string, string?> values = ReadValues();

        // Act
        string? runtime = values.GetValueOrDefault(WorkerRuntimeKey);

        // Assert
        Assert.Equal("dotnet-isolated", runtime);
    }

    [Fact]
    public void Values_EveryPipelineKey_NamesAnExistingOption()
    {
        // Arrange
        IConfiguration configuration = PipelineConfiguration();
        var known = PipelineSections.Select(row => (string)row[1]).ToHashSet(StringComparer.Ordinal);

        // Act
        string[] unknownSections = configuration.GetChildren().Select(s => s.Key).Where(k => !known.Contains(k)).ToArray();

        // Assert
        Assert.Empty(unknownSections);
    }

    [Theory]
    [MemberData(nameof(PipelineSections))]
    public void Values_Section_BindsStrictlyToTheOptionDefaults(Type optionsType, string sectionName)
    {
        // Arrange
        IConfigurationSection section = PipelineConfiguration().GetSection(sectionName);
        object defaults = Activator.CreateInstance(optionsType)!;

        // Act
        object bound = section.Get(optionsType, binder => binder.ErrorOnUnknownConfiguration = true)!;

        // Assert
        Assert.True(section.Exists(), $"local.settings.json sets nothing under {sectionName}__");
        foreach (PropertyInfo property in optionsType.GetProperties().Where(p => p.CanWrite))
        {
            Assert.True(section.GetSection(property.Name).Exists(), $"{sectionName}__{property.Name} is missing from local.settings.json");
            Assert.Equal(Normalize(property.GetValue(defaults)), Normalize(property.GetValue(bound)));
        }
    }

    [Fact]
    public void Values_TriggerCertificateValidation_FollowsTheTlsAllowInvalidCertificatesOption()
    {
        // Arrange: the trigger connects on its own; it must trust the broker exactly when the pipeline does.
        Dictionary<string, string?> values = ReadValues();

        // Act
        string? trigger = values.GetValueOrDefault(TriggerCertificateValidationKey);
        string? pipeline = values.GetValueOrDefault("RabbitMQ__TlsAllowInvalidCertificates");

        // Assert
        Assert.NotNull(trigger);
        Assert.Equal(pipeline, trigger);
    }

    // An empty setting and an unset one mean the same to the pipeline (string.IsNullOrEmpty throughout).
    private static object? Normalize(object? value) => value is null ? string.Empty : value;

    /// <summary>The values as the Functions app binds them: with the app's duration syntax (AddInferencePipeline registers it).</summary>
    private static IConfiguration PipelineConfiguration()
    {
        Durations.UseForTimeSpanSettings();
        return new ConfigurationBuilder()
            .AddInMemoryCollection(ReadValues()
                .Where(pair => pair.Key != WorkerRuntimeKey && !pair.Key.StartsWith(HostSettingPrefix, StringComparison.Ordinal))
                .Select(pair => KeyValuePair.Create(pair.Key.Replace("__", ":", StringComparison.Ordinal), pair.Value)))
            .Build();
    }

    private static Dictionary<string, string?> ReadValues()
    {
        using FileStream file = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "local.settings.json"));
        using JsonDocument document = JsonDocument.Parse(file);
        return document.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
    }
}
