using QueueInference.Cli.Benchmarking;

namespace QueueInference.Cli.Tests.Benchmarking;

public sealed class ModelCostTests
{
    private static string RepoModel => Path.Combine(AppContext.BaseDirectory, "models", "model.onnx");

    [Fact]
    public void Measure_RepoModelAtTwoBatchSizes_OneTimedRowPerSize()
    {
        // Act
        IReadOnlyList<ModelCostRow> rows = ModelCost.Measure(RepoModel, [1, 8], rounds: 3, roundTime: TimeSpan.FromMilliseconds(5));

        // Assert
        Assert.Equal([1, 8], rows.Select(r => r.BatchSize));
        Assert.All(rows, row =>
        {
            Assert.True(row.BestSecondsPerItem > 0 && row.BestSecondsPerItem <= row.MedianSecondsPerItem, $"best {row.BestSecondsPerItem}, median {row.MedianSecondsPerItem}");
            Assert.True(row.Runs >= 3);
            Assert.True(row.CpuShare >= 0);
        });
    }

    [Fact]
    public void Measure_ModelWithoutBatchDimensionAtBatchFour_Refuses()
    {
        // Arrange: the seed's own model, [1, 1] fixed.
        string seedModel = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "..", "shared", "seed", "model.onnx");

        // Act + Assert
        Assert.Throws<ArgumentException>(() => ModelCost.Measure(seedModel, [4], rounds: 1, roundTime: TimeSpan.FromMilliseconds(1)));
    }

    [Theory]
    [InlineData("1,4,16,64", new[] { 1, 4, 16, 64 })]
    [InlineData(" 2 , 8 ", new[] { 2, 8 })]
    public void ParseBatchSizes_CommaSeparated_Parses(string text, int[] expected)
    {
        // Act + Assert
        Assert.Equal(expected, ModelCostCommand.ParseBatchSizes(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0,4")]
    [InlineData("four")]
    public void ParseBatchSizes_NotBatchSizes_Throws(string text)
    {
        // Act + Assert
        Assert.Throws<FormatException>(() => ModelCostCommand.ParseBatchSizes(text));
    }

    [Fact]
    public void Markdown_TwoBatchSizes_OneRowPerModelWithBestMedianAndCpuMicroseconds()
    {
        // Arrange
        ModelCostRow[] rows = [new(1, 2371e-6, 2500e-6, 2300e-6, 0.98, 100), new(64, 2.2e-6, 2.25e-6, 2.2e-6, 0.99, 40)];

        // Act
        string table = ModelCostCommand.Markdown([1, 64], [("models/generated/model-heavy.onnx", rows)]);

        // Assert
        Assert.Equal(
            "| model | batch 1 | batch 64 | CPU share |\n|---|---:|---:|---:|\n| model-heavy.onnx | 2371 µs (2500; CPU 2300) | 2.20 µs (2.25; CPU 2.20) | 0.98–0.99 |\n",
            table.ReplaceLineEndings("\n"));
    }
}
