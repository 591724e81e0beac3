using QueueInference.Cli.Benchmarking;

namespace QueueInference.Cli.Tests.Benchmarking;

public sealed class TransformationCostTests
{
    [Fact]
    public void Measure_FewRounds_FastestRoundNoSlowerThanMedianAndCpuTimeCounted()
    {
        // Act
        TransformationCostRow row = TransformationCost.Measure(rounds: 3, messagesPerRound: 2);

        // Assert: each message runs 100 000 iterations, so both clocks see it.
        Assert.True(row.BestSecondsPerMessage > 0 && row.BestSecondsPerMessage <= row.MedianSecondsPerMessage, $"best {row.BestSecondsPerMessage}, median {row.MedianSecondsPerMessage}");
        Assert.True(row.CpuSecondsPerMessage > 0, $"CPU {row.CpuSecondsPerMessage}");
        Assert.True(row.CpuShare > 0, $"CPU share {row.CpuShare}");
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(30, 0)]
    public void Measure_NoRoundsOrNoMessages_Throws(int rounds, int messagesPerRound)
    {
        // Act + Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => TransformationCost.Measure(rounds, messagesPerRound));
    }
}
