using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime.Tensors;
using QueueInference.Pipeline.Configuration;
using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Inference;
using QueueInference.Pipeline.Stages;
using QueueInference.Pipeline.Tests.Support;

namespace QueueInference.Pipeline.Tests.Inference;

public sealed class OnnxInferenceEngineTests
{
    public static TheoryData<string> Models => new() { "models/model.onnx", "TestData/seed-model.onnx" };

    private static OnnxInferenceEngine CreateEngine(string modelPath, int poolSize = 0, int maxBatchSize = 64, string? replyOutputs = null) =>
        new(Options.Create(new InferenceOptions { ModelPath = modelPath, PoolSize = poolSize, MaxBatchSize = maxBatchSize, ReplyOutputs = replyOutputs }), NullLogger<OnnxInferenceEngine>.Instance);

    private static ModelInputs FloatItem(OnnxInferenceEngine engine, float value)
    {
        ModelInputs inputs = engine.CreateInputs();
        inputs.Get<float>(0).Fill(value);
        return inputs;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Signature_SeedContractModel_ReadFromMetadata(string modelPath)
    {
        // Act
        using OnnxInferenceEngine engine = CreateEngine(modelPath);

        // Assert
        bool batched = modelPath.StartsWith("models/", StringComparison.Ordinal);
        ModelTensor input = Assert.Single(engine.Signature.Inputs);
        ModelTensor output = Assert.Single(engine.Signature.Outputs);
        Assert.Equal("input", input.Name);
        Assert.Equal("output", output.Name);
        Assert.Equal(TensorElementType.Float, input.ElementType);
        Assert.Equal(batched ? [-1L, 1L] : [1L, 1L], input.Dimensions);
        Assert.True(input.IsFixed);
        Assert.Equal(1, input.ItemLength);
        Assert.Equal(batched, engine.Signature.HasBatchDimension);
        Assert.Equal(batched ? 64 : 1, engine.MaxBatchSize);
        Assert.Empty(engine.Signature.SymbolicDimensions);
        Assert.Equal([1, 1], engine.CreateOutputs().Shape(0).ToArray());
    }

    [Fact]
    public void Run_EverySeedVectorOnBothModels_GivesTheVectorsModelOutput()
    {
        // Arrange
        var transformation = new SeedTransformation(Options.Create(new TransformationOptions()));
        foreach (string modelPath in new[] { "models/model.onnx", "TestData/seed-model.onnx" })
        {
            using OnnxInferenceEngine engine = CreateEngine(modelPath);
            foreach (object[] vector in SeedVectors.All)
            {
                using InferenceRequest request = Requests.Parse("m", (double[])vector[0]);
                ModelInputs inputs = engine.CreateInputs();
                ModelOutputs outputs = engine.CreateOutputs();
                transformation.Transform(request, inputs);

                // Act
                engine.Run(inputs, outputs);

                // Assert
                Assert.Equal((string)vector[2], $"[[{PythonFloat.ToString(outputs.Get<float>(0)[0])}]]");
            }
        }
    }

    [Fact]
    public async Task Run_ConcurrentCallersOnOneSession_EachGetsItsOwnResult()
    {
        // Arrange: fewer pooled slots than callers, so slots are created, returned and reused.
        using OnnxInferenceEngine engine = CreateEngine("models/model.onnx", poolSize: 2);

        // Act
        float[][] results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() =>
        {
            var values = new float[200];
            ModelInputs inputs = engine.CreateInputs();
            ModelOutputs outputs = engine.CreateOutputs();
            for (int j = 0; j < values.Length; j++)
            {
                inputs.Reset();
                inputs.Get<float>(0)[0] = i * 1000f + j;
                engine.Run(inputs, outputs);
                values[j] = outputs.Get<float>(0)[0];
            }

            return values;
        })));

        // Assert
        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(Enumerable.Range(0, 200).Select(j => i * 1000f + j), results[i]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    public void Run_SteadyState_AllocatesAtMostAFewBytesPerRun(int batchSize)
    {
        // Arrange
        using OnnxInferenceEngine engine = CreateEngine("models/model.onnx");
        ModelInputs[] inputs = [.. Enumerable.Range(0, batchSize).Select(i => FloatItem(engine, i))];
        ModelOutputs[] outputs = [.. Enumerable.Range(0, batchSize).Select(_ => engine.CreateOutputs())];
        for (int i = 0; i < 100; i++)
        {
            engine.Run(inputs, outputs);
        }

        // Act
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            engine.Run(inputs, outputs);
        }

        long perRun = (GC.GetAllocatedBytesForCurrentThread() - before) / 1000;

        // Assert: buffers, OrtValues, bindings and RunOptions come from the pool, not from each run.
        Assert.True(perRun <= 64, $"{perRun} bytes allocated per run of {batchSize}");
    }

    [Fact]
    public void Run_BatchOnRepoModel_EqualsOneRunPerItem()
    {
        // Arrange
        using OnnxInferenceEngine engine = CreateEngine("models/model.onnx");
        float[] values = [.. Enumerable.Range(0, 37).Select(i => i * 1.5f)];
        ModelInputs[] inputs = [.. values.Select(v => FloatItem(engine, v))];
        ModelOutputs[] batched = [.. values.Select(_ => engine.CreateOutputs())];
        ModelOutputs[] single = [.. values.Select(_ => engine.CreateOutputs())];

        // Act
        engine.Run(inputs, batched);
        for (int i = 0; i < inputs.Length; i++)
        {
            engine.Run(inputs[i], single[i]);
        }

        // Assert
        Assert.Equal(values, batched.Select(o => o.Get<float>(0)[0]));
        Assert.Equal(values, single.Select(o => o.Get<float>(0)[0]));
    }

    [Fact]
    public void Run_MoreItemsThanTheModelTakes_Refuses()
    {
        // Arrange: the seed's model has no batch dimension, so a run takes one item.
        using OnnxInferenceEngine engine = CreateEngine("TestData/seed-model.onnx");
        ModelInputs[] inputs = [FloatItem(engine, 1), FloatItem(engine, 2)];

        // Act
        var error = Assert.Throws<ArgumentException>(() => engine.Run(inputs, [engine.CreateOutputs(), engine.CreateOutputs()]));

        // Assert
        Assert.Contains("no batch dimension", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MissingModel_ThrowsNamingThePath()
    {
        // Act
        var error = Assert.Throws<InvalidSettingException>(() => CreateEngine("models/nope.onnx"));

        // Assert
        Assert.Contains("models/nope.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_FileThatIsNotAModel_ThrowsClearError()
    {
        // Arrange
        string path = Path.Combine(Path.GetTempPath(), $"not-a-model-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(path, "this is not an onnx model");

        try
        {
            // Act
            var error = Assert.Throws<InvalidSettingException>(() => CreateEngine(path));

            // Assert
            Assert.Contains("not a model ONNX Runtime can load", error.Rule, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Rule);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
