using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Tests.LoadTesting;

public sealed class LatencyDistributionTests
{
    [Fact]
    public void From_OneToHundred_NearestRankPercentiles()
    {
        double[] values = [.. Enumerable.Range(1, 100).Select(i => (double)i).Reverse()];

        LatencyDistribution distribution = LatencyDistribution.From(values);

        Assert.Equal(100, distribution.Count);
        Assert.Equal(1, distribution.Min);
        Assert.Equal(50, distribution.P50);
        Assert.Equal(75, distribution.P75);
        Assert.Equal(95, distribution.P95);
        Assert.Equal(99, distribution.P99);
        Assert.Equal(100, distribution.Max);
        Assert.Equal(50.5, distribution.Mean, 10);
    }

    [Fact]
    public void Percentile_TenValues_RoundsRankUp()
    {
        double[] sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        Assert.Equal(10, LatencyDistribution.Percentile(sorted, 99));
        Assert.Equal(5, LatencyDistribution.Percentile(sorted, 50));
        Assert.Equal(6, LatencyDistribution.Percentile(sorted, 51));
        Assert.Equal(1, LatencyDistribution.Percentile(sorted, 0));
    }

    [Fact]
    public void From_SingleValue_AllStatisticsEqualIt()
    {
        LatencyDistribution distribution = LatencyDistribution.From([0.25]);

        Assert.All(new[] { distribution.Min, distribution.P50, distribution.P99, distribution.Max, distribution.Mean }, v => Assert.Equal(0.25, v));
    }

    [Fact]
    public void From_NoValues_CountZeroAndNaN()
    {
        LatencyDistribution distribution = LatencyDistribution.From([]);

        Assert.Equal(0, distribution.Count);
        Assert.True(double.IsNaN(distribution.P99));
    }

    [Fact]
    public void Shift_MinusIoDelay_MovesEveryStatistic()
    {
        LatencyDistribution distribution = LatencyDistribution.From([3.010, 3.020, 3.030]);

        LatencyDistribution overhead = distribution.Shift(-3);

        Assert.Equal(0.010, overhead.Min, 9);
        Assert.Equal(0.020, overhead.P50, 9);
        Assert.Equal(0.030, overhead.P99, 9);
        Assert.Equal(3, overhead.Count);
    }
}
