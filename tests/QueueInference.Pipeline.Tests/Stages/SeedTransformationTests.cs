using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Inference;
using QueueInference.Pipeline.Stages;
using QueueInference.Pipeline.Tests.Support;

namespace QueueInference.Pipeline.Tests.Stages;

public sealed class SeedTransformationTests
{
    [Theory]
    [MemberData(nameof(SeedVectors.All), MemberType = typeof(SeedVectors))]
    public void Transform_SeedVector_ExactProcessedDataAndModelInput(double[] data, string processedData, string modelOutput)
    {
        // Arrange
        var fast = new SeedTransformation(Options.Create(new TransformationOptions { Mode = TransformationMode.Fast }));
        var seedCost = new SeedTransformation(Options.Create(new TransformationOptions { Mode = TransformationMode.SeedCost }));
        using var engine = new OnnxInferenceEngine(Options.Create(new InferenceOptions()), NullLogger<OnnxInferenceEngine>.Instance);
        using InferenceRequest request = Requests.Parse("m", data);
        ModelInputs fastInput = engine.CreateInputs();
        ModelInputs seedCostInput = engine.CreateInputs();

        // Act
        double fastValue = fast.Transform(request, fastInput);
        double seedCostValue = seedCost.Transform(request, seedCostInput);

        // Assert
        Assert.Equal(processedData, PythonFloat.ToString(fastValue));
        Assert.Equal(processedData, PythonFloat.ToString(seedCostValue));
        Assert.Equal(modelOutput, $"[[{PythonFloat.ToString(fastInput.Get<float>(0)[0])}]]");
        Assert.Equal(fastInput.Get<float>(0)[0], seedCostInput.Get<float>(0)[0]);
    }

    [Fact]
    public void Transform_ModelWithSixtyFourFeatures_FillsEveryOneWithTheValue()
    {
        // Arrange: a generated MLP, input [batch, 64].
        var transformation = new SeedTransformation(Options.Create(new TransformationOptions()));
        using var engine = new OnnxInferenceEngine(Options.Create(new InferenceOptions { ModelPath = GeneratedModels.ModelLight }), NullLogger<OnnxInferenceEngine>.Instance);
        using InferenceRequest request = Requests.Parse("m", 3.0, 4.0);
        ModelInputs inputs = engine.CreateInputs();

        // Act
        double value = transformation.Transform(request, inputs);

        // Assert
        transformation.Validate(engine.Signature);
        Assert.Equal(50000.0, value);
        Assert.Equal(Enumerable.Repeat(50000f, 64), inputs.Get<float>(0).ToArray());
    }

    [Fact]
    public void Sum_RandomIncrements_BitIdenticalToPlainLoop()
    {
        // Arrange: increments across magnitudes, including the seed's range (factor * 0.1, factor <= ~2.3).
        var random = new Random(12345);
        var increments = new List<double> { 0.1, 0.5, 1.0 / 3.0, double.Epsilon, 1e-310, 1e300, 3e307 };
        for (int i = 0; i < 600; i++)
        {
            increments.Add(Math.Sqrt(Enumerable.Range(0, 5).Sum(_ => Math.Pow(random.NextDouble(), 2))) * 0.1);
            increments.Add(random.NextDouble() * Math.Pow(10, random.Next(-30, 30)));
        }

        foreach (double increment in increments)
        {
            foreach (long count in new long[] { 1, 2, 3, 1000, 100_000 })
            {
                // Act
                double expected = PlainLoop(increment, count);
                double actual = RepeatedAddition.Sum(increment, count);

                // Assert
                Assert.True(
                    BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual),
                    $"increment {increment:R} x {count}: loop {expected:R}, fast {actual:R}");
            }
        }
    }

    [Fact]
    public void Sum_TieIncrementsAndNegatives_BitIdenticalToPlainLoop()
    {
        // Arrange: increments that land exactly halfway between two neighbours of acc, where
        // round-half-even depends on acc's last bit, plus negative mirrors.
        double[] increments = [Math.ScaleB(1.0, -53), Math.ScaleB(3.0, -54), 1.0 + Math.ScaleB(1.0, -52), -0.1, -Math.ScaleB(1.0, -53)];

        foreach (double increment in increments)
        {
            // Act
            double expected = PlainLoop(increment, 50_000);
            double actual = RepeatedAddition.Sum(increment, 50_000);

            // Assert
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
        }
    }

    private static double PlainLoop(double increment, long count)
    {
        double acc = 0.0;
        for (long i = 0; i < count; i++)
        {
            acc += increment;
        }

        return acc;
    }
}
