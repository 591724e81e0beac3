using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Inference;
using QueueInference.Pipeline.Configuration;
using QueueInference.Pipeline.Messaging;
using QueueInference.Pipeline.Stages;
using QueueInference.Pipeline.Tests.Support;

namespace QueueInference.Pipeline.Tests;

public sealed class PipelineOptionsTests
{
    private static IHost Build(Dictionary<string, string?> settings)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddInferencePipeline();
        return builder.Build();
    }

    [Fact]
    public void AddInferencePipeline_EnvironmentStyleSettings_BindEachSection()
    {
        // Arrange
        using IHost host = Build(new()
        {
            ["IoStep:Delay"] = "250ms",
            ["IoStep:Distribution"] = "Exponential",
            ["Transformation:Mode"] = "SeedCost",
            ["RabbitMQ:RequestQueue"] = "requests",
        });

        // Act
        IoStepOptions io = host.Services.GetRequiredService<IOptions<IoStepOptions>>().Value;
        TransformationOptions transformation = host.Services.GetRequiredService<IOptions<TransformationOptions>>().Value;
        RabbitMQOptions rabbit = host.Services.GetRequiredService<IOptions<RabbitMQOptions>>().Value;

        // Assert
        Assert.Equal(TimeSpan.FromMilliseconds(250), io.Delay);
        Assert.Equal(JitterDistribution.Exponential, io.Distribution);
        Assert.Equal(TransformationMode.SeedCost, transformation.Mode);
        Assert.Equal("requests.dead", rabbit.DeadLetterQueueName);
    }

    [Theory]
    [InlineData("IoStep:Delay", "-00:00:01")]
    [InlineData("IoStep:Delay", "-1s")]
    [InlineData("Transformation:Iterations", "-5")]
    [InlineData("Contract:MaxBodyBytes", "10")]
    [InlineData("RabbitMQ:ConnectionString", "http://localhost")]
    [InlineData("RabbitMQ:RequestQueue", "")]
    [InlineData("Reply:ConfirmTimeout", "00:00:00")]
    [InlineData("Inference:MaxBatchSize", "0")]
    [InlineData("Inference:MaxBatchDelay", "-00:00:00.001")]
    [InlineData("Inference:MaxBatchDelay", "00:00:02")]
    public async Task StartAsync_InvalidSetting_FailsBeforeConsuming(string key, string value)
    {
        // Arrange
        using IHost host = Build(new() { [key] = value });

        // Act
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        // Assert
        Assert.NotEmpty(error.Failures);
    }

    [Fact]
    public void AddInferencePipeline_BatchingSettings_Bind()
    {
        // Arrange
        using IHost host = Build(new()
        {
            ["Inference:MaxBatchSize"] = "16",
            ["Inference:MaxBatchDelay"] = "00:00:00.002",
            ["Inference:ReplyOutputs"] = "probabilities,logits",
        });

        // Act
        InferenceOptions inference = host.Services.GetRequiredService<IOptions<InferenceOptions>>().Value;

        // Assert
        Assert.Equal(16, inference.MaxBatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(2), inference.MaxBatchDelay);
        Assert.Equal(["probabilities", "logits"], inference.ReplyOutputNames);
    }

    [Fact]
    public async Task StartAsync_ReplyOutputTheModelLacks_FailsTheStartNamingIt()
    {
        // Arrange
        using IHost host = Build(new() { ["Inference:ReplyOutputs"] = "logits" });

        // Act
        var error = await Assert.ThrowsAsync<InvalidSettingException>(() => host.StartAsync());

        // Assert
        Assert.Contains("no output named 'logits'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_TransformationThatCannotFillTheModel_FailsTheStart()
    {
        // Arrange: the seed transformation fills one float32 input; the text model takes int64 token ids.
        using IHost host = Build(new() { ["Inference:ModelPath"] = GeneratedModels.TextClassifier });

        // Act
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        // Assert
        Assert.Contains("seed transformation", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, typeof(SeedTransformation))]
    [InlineData("Fast", typeof(SeedTransformation))]
    [InlineData("SeedCost", typeof(SeedTransformation))]
    [InlineData("Features", typeof(FeaturesTransformation))]
    public void AddInferencePipeline_TransformationMode_PicksTheBuiltInTransformation(string? mode, Type expected)
    {
        // Arrange
        using IHost host = Build(new() { ["Transformation:Mode"] = mode });

        // Act
        ITransformation transformation = host.Services.GetRequiredService<ITransformation>();

        // Assert
        Assert.IsType(expected, transformation);
    }

    [Fact]
    public async Task StartAsync_FeaturesModeWithAModelOfTokenIds_FailsTheStartNamingTheMode()
    {
        // Arrange
        using IHost host = Build(new() { ["Transformation:Mode"] = "Features", ["Inference:ModelPath"] = GeneratedModels.TextClassifier });

        // Act
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        // Assert
        Assert.Contains("Transformation:Mode=Features", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_FeaturesModeWithAnMlp_StartsAndValidates()
    {
        // Arrange
        using IHost host = Build(new() { ["Transformation:Mode"] = "Features", ["Inference:ModelPath"] = GeneratedModels.ModelLight });

        // Act
        await host.StartAsync();

        // Assert
        Assert.True(host.Services.GetRequiredService<ModelReadiness>().Loaded.IsCompletedSuccessfully);
        await host.StopAsync();
    }

    [Fact]
    public async Task StartAsync_MissingModel_FailsTheSettingsCheckBeforeAnyServiceStarts()
    {
        // Arrange
        using IHost host = Build(new() { ["Inference:ModelPath"] = "missing/model.onnx" });

        // Act
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        // Assert
        Assert.Equal(typeof(InferenceOptions), error.OptionsType);
        Assert.StartsWith("Inference:ModelPath: no such file", Assert.Single(error.Failures), StringComparison.Ordinal);
        Assert.False(host.Services.GetRequiredService<ModelReadiness>().Loaded.IsCompleted);
    }
}
