using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Stages;

namespace QueueInference.Pipeline.Tests.Stages;

public sealed class SimulatedIoStepTests
{
    [Theory]
    [InlineData(JitterDistribution.None)]
    [InlineData(JitterDistribution.Uniform)]
    [InlineData(JitterDistribution.Exponential)]
    public void NextJitter_Distribution_StaysInItsRange(JitterDistribution distribution)
    {
        // Arrange
        var step = new SimulatedIoStep(Options.Create(new IoStepOptions { Jitter = TimeSpan.FromSeconds(1), Distribution = distribution }), TimeProvider.System);

        // Act
        TimeSpan[] draws = [.. Enumerable.Range(0, 20_000).Select(_ => step.NextJitter())];

        // Assert
        double mean = draws.Average(d => d.TotalSeconds);
        Assert.All(draws, d => Assert.True(d >= TimeSpan.Zero));
        switch (distribution)
        {
            case JitterDistribution.None:
                Assert.All(draws, d => Assert.Equal(TimeSpan.Zero, d));
                break;
            case JitterDistribution.Uniform:
                Assert.All(draws, d => Assert.True(d < TimeSpan.FromSeconds(1)));
                Assert.InRange(mean, 0.45, 0.55);
                break;
            case JitterDistribution.Exponential:
                Assert.InRange(mean, 0.9, 1.1);
                Assert.Contains(draws, d => d > TimeSpan.FromSeconds(3));
                break;
        }
    }
}
