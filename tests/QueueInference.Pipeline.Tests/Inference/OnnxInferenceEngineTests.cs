using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Inference;
using QueueInference.Pipeline.Stages;

namespace QueueInference.Pipeline.Tests.Inference;

public sealed class OnnxInferenceEngineTests
{
    public static TheoryData<string> Models => new() { "models/model.onnx", "TestData/seed-model.onnx" };

    private static OnnxInferenceEngine CreateEngine(string modelPath, int poolSize = 0) =>
        new(Options.Create(new InferenceOptions { ModelPath = modelPath, PoolSize = poolSize }), NullLogger<OnnxInferenceEngine>.Instance);

    [Theory]
    [MemberData(nameof(Models))]
    public void Signature_SeedContractModel_ReadFromMetadata(string modelPath)
    {
        // Act
        using OnnxInferenceEngine engine = CreateEngine(modelPath);

        // Assert
        Assert.Equal("input", engine.Signature.InputName);
        Assert.Equal("output", engine.Signature.OutputName);
        Assert.Equal([1L, 1L], engine.Signature.InputShape);
        Assert.Equal([1, 1], engine.OutputShape);
        Assert.Equal(modelPath.StartsWith("models/", StringComparison.Ordinal), engine.Signature.HasBatchDimension);
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
                float[] input = new float[1];
                float[] output = new float[1];
                transformation.Transform((double[])vector[0], input);

                // Act
                engine.Run(input, output);

                // Assert
                Assert.Equal((string)vector[2], $"[[{PythonFloat.ToString(output[0])}]]");
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
            var outputs = new float[200];
            for (int j = 0; j < outputs.Length; j++)
            {
                float[] output = new float[1];
                engine.Run([i * 1000f + j], output);
                outputs[j] = output[0];
            }

            return outputs;
        })));

        // Assert
        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(Enumerable.Range(0, 200).Select(j => i * 1000f + j), results[i]);
        }
    }

    [Fact]
    public void Run_SteadyState_AllocatesAtMostAFewBytesPerCall()
    {
        // Arrange
        using OnnxInferenceEngine engine = CreateEngine("models/model.onnx");
        float[] input = [1f];
        float[] output = new float[1];
        for (int i = 0; i < 100; i++)
        {
            engine.Run(input, output);
        }

        // Act
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            engine.Run(input, output);
        }

        long perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / 1000;

        // Assert: buffers, OrtValues and RunOptions come from the pool, not from each call.
        Assert.True(perCall <= 64, $"{perCall} bytes allocated per call");
    }

    [Fact]
    public void RunBatch_RepoModel_EqualsOneRunPerItem()
    {
        // Arrange
        using OnnxInferenceEngine engine = CreateEngine("models/model.onnx");
        float[] inputs = [.. Enumerable.Range(0, 37).Select(i => i * 1.5f)];
        float[] batched = new float[37];
        float[] single = new float[37];

        // Act
        engine.RunBatch(inputs, batched, 37);
        for (int i = 0; i < inputs.Length; i++)
        {
            engine.Run(inputs.AsSpan(i, 1), single.AsSpan(i, 1));
        }

        // Assert
        Assert.Equal(single, batched);
        Assert.Equal(inputs, batched);
    }

    [Fact]
    public void RunBatch_SeedModelWithFixedShape_Refuses()
    {
        // Arrange
        using OnnxInferenceEngine engine = CreateEngine("TestData/seed-model.onnx");

        // Act + Assert
        Assert.Throws<InvalidOperationException>(() => engine.RunBatch(new float[2], new float[2], 2));
    }

    [Fact]
    public void Constructor_MissingModel_ThrowsNamingThePath()
    {
        // Act
        var error = Assert.Throws<FileNotFoundException>(() => CreateEngine("models/nope.onnx"));

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
            var error = Assert.Throws<InvalidOperationException>(() => CreateEngine(path));

            // Assert
            Assert.Contains("could not be loaded", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Constructor_UnknownInputName_ThrowsListingTheInputs()
    {
        // Act
        var error = Assert.Throws<InvalidOperationException>(() => new OnnxInferenceEngine(
            Options.Create(new InferenceOptions { InputName = "features" }), NullLogger<OnnxInferenceEngine>.Instance));

        // Assert
        Assert.Contains("no input named 'features'", error.Message, StringComparison.Ordinal);
        Assert.Contains("input", error.Message, StringComparison.Ordinal);
    }
}
