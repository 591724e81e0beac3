using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Inference;
using QueueInference.Pipeline.Stages;
using QueueInference.Pipeline.Tests.Support;

namespace QueueInference.Pipeline.Tests.Stages;

/// <summary><c>Transformation:Mode=Features</c> on make_model.py's model-light (float32 [batch, 64]), in real ONNX Runtime.</summary>
public sealed class FeaturesTransformationTests
{
    private const int Features = 64;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static OnnxInferenceEngine CreateEngine(string modelPath) =>
        new(Options.Create(new InferenceOptions { ModelPath = modelPath }), NullLogger<OnnxInferenceEngine>.Instance);

    [Fact]
    public void Transform_FewerValuesThanFeatures_CopiesThemAsFloat32AndPadsWithZeros()
    {
        // Arrange
        using OnnxInferenceEngine engine = CreateEngine(GeneratedModels.ModelLight);
        var transformation = new FeaturesTransformation();
        using InferenceRequest request = Requests.Parse("m", 1.5, -2.0, 0.1);
        ModelInputs inputs = engine.CreateInputs();

        // Act
        transformation.Validate(engine.Signature);
        double processed = transformation.Transform(request, inputs);

        // Assert
        Assert.Equal(3.0, processed);
        float[] features = inputs.Get<float>(0).ToArray();
        Assert.Equal(Features, features.Length);
        Assert.Equal([1.5f, -2.0f, 0.1f], features[..3]);
        Assert.All(features[3..], f => Assert.Equal(0f, f));
    }

    [Fact]
    public void Transform_MoreValuesThanFeatures_TakesTheFirstOnes()
    {
        // Arrange
        using OnnxInferenceEngine engine = CreateEngine(GeneratedModels.ModelLight);
        double[] data = [.. Enumerable.Range(1, 100).Select(i => i / 4.0)];
        using InferenceRequest request = Requests.Parse("m", data);
        ModelInputs inputs = engine.CreateInputs();

        // Act
        double processed = new FeaturesTransformation().Transform(request, inputs);

        // Assert
        Assert.Equal(Features, processed);
        Assert.Equal(data.Take(Features).Select(d => (float)d), inputs.Get<float>(0).ToArray());
    }

    [Fact]
    public void Transform_ValueBeyondFloat32Range_FailsTheRequest()
    {
        // Arrange: finite as a double (the contract's check), infinite as a float32.
        using OnnxInferenceEngine engine = CreateEngine(GeneratedModels.ModelLight);
        using InferenceRequest request = Requests.Parse("m", 1.0, 1e39);

        // Act
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new FeaturesTransformation().Transform(request, engine.CreateInputs()));

        // Assert
        Assert.Contains("data[1] is beyond float32's range", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ModelWithInt64Inputs_RefusesNamingTheSetting()
    {
        // Arrange
        using OnnxInferenceEngine engine = CreateEngine(GeneratedModels.TextClassifier);

        // Act
        var error = Assert.Throws<InvalidOperationException>(() => new FeaturesTransformation().Validate(engine.Signature));

        // Assert
        Assert.Contains("Transformation:Mode=Features", error.Message, StringComparison.Ordinal);
        Assert.Contains("input_ids int64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ComposeAsync_RequestsThroughTheComputeLane_ReplyIsTheModelOnTheirFeatures()
    {
        // Arrange: three requests in one batch; each reply must be the model's output for that request's own features.
        using var lane = new ComputeLane(GeneratedModels.ModelLight, new FeaturesTransformation());
        double[][] data = [[0.5, 1.0, -1.0], [.. Enumerable.Range(0, 64).Select(i => Math.Sin(i))], [3.0]];
        InferenceRequest[] requests = [.. data.Select((d, i) => Requests.Parse($"r{i}", d))];
        ArrayBufferWriter<byte>[] replies = [.. requests.Select(_ => new ArrayBufferWriter<byte>())];
        float[][] expected = [.. data.Select(d => Alone(lane.Engine, d))];

        // Act
        await Task.WhenAll(requests.Select((r, i) => lane.Scheduler.ComposeAsync(r, DateTimeOffset.UnixEpoch, replies[i]).AsTask())).WaitAsync(Patience);

        // Assert
        for (int i = 0; i < requests.Length; i++)
        {
            using JsonDocument reply = JsonDocument.Parse(replies[i].WrittenMemory);
            JsonElement result = reply.RootElement.GetProperty("result");
            Assert.Equal(PythonFloat.ToString(Math.Min(data[i].Length, Features)), result.GetProperty("processed_data").GetString());
            double[] output = [.. Assert.Single(result.GetProperty("model_output").EnumerateArray().ToArray()).EnumerateArray().Select(v => v.GetDouble())];
            Assert.Equal(16, output.Length);
            for (int j = 0; j < output.Length; j++)
            {
                // Batched and alone may differ in the last bits (ONNX Runtime's kernels sum in another order).
                Assert.True(Math.Abs(expected[i][j] - output[j]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i][j])), $"request {i}, output {j}: {expected[i][j]} alone, {output[j]} in the reply");
            }

            requests[i].Dispose();
        }

        Assert.NotEqual(expected[0], expected[2]);
    }

    /// <summary>The model's output for <paramref name="data"/> filled by hand (first values, zeros after), run alone.</summary>
    private static float[] Alone(OnnxInferenceEngine engine, double[] data)
    {
        ModelInputs inputs = engine.CreateInputs();
        Span<float> features = inputs.Get<float>(0);
        for (int i = 0; i < Math.Min(data.Length, features.Length); i++)
        {
            features[i] = (float)data[i];
        }

        ModelOutputs outputs = engine.CreateOutputs();
        engine.Run(inputs, outputs);
        return outputs.Get<float>(0).ToArray();
    }
}
