using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Tests.LoadTesting;

public sealed class FailIfThresholdTests
{
    [Theory]
    [InlineData("missing>0", "missing", ThresholdComparison.Greater, 0)]
    [InlineData("p99>250ms", "total.p99", ThresholdComparison.Greater, 0.25)]
    [InlineData("processing.p95 >= 4s", "processing.p95", ThresholdComparison.GreaterOrEqual, 4)]
    [InlineData("reply-rate<100", "reply-rate", ThresholdComparison.Less, 100)]
    [InlineData("Duplicates==0", "duplicates", ThresholdComparison.Equal, 0)]
    [InlineData("pickup.max<=1.5s", "pickup.max", ThresholdComparison.LessOrEqual, 1.5)]
    public void TryParse_ValidCondition_ParsesMetricOperatorAndLimit(string text, string metric, ThresholdComparison comparison, double limit)
    {
        bool parsed = FailIfThreshold.TryParse(text, out FailIfThreshold? threshold, out _);

        Assert.True(parsed);
        Assert.Equal(metric, threshold!.Metric);
        Assert.Equal(comparison, threshold.Comparison);
        Assert.Equal(limit, threshold.Limit, 12);
    }

    [Theory]
    [InlineData("p99>5", "needs a unit")]
    [InlineData("latency>5s", "unknown metric")]
    [InlineData("missing", "no comparison operator")]
    [InlineData("missing>lots", "not a number")]
    [InlineData(">0", "no comparison operator")]
    public void TryParse_InvalidCondition_ExplainsWhy(string text, string expected)
    {
        bool parsed = FailIfThreshold.TryParse(text, out FailIfThreshold? threshold, out string error);

        Assert.False(parsed);
        Assert.Null(threshold);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_MissingReplyAndMissingAboveZero_Fails()
    {
        LoadSummary summary = Summaries.WithOneReplyOfTwo();
        FailIfThreshold threshold = Parse("missing>0");

        ThresholdResult result = threshold.Evaluate(summary);

        Assert.True(result.Failed);
        Assert.Equal(1, result.Actual);
    }

    [Fact]
    public void Evaluate_P99BelowLimit_Passes()
    {
        LoadSummary summary = Summaries.WithOneReplyOfTwo();
        FailIfThreshold threshold = Parse("p99>5s");

        ThresholdResult result = threshold.Evaluate(summary);

        Assert.False(result.Failed);
        Assert.Equal(3.5, result.Actual, 9);
        Assert.Equal("3.500 s", result.ActualText);
    }

    [Theory]
    [InlineData("p99>5000ms", "3500.0 ms")]
    [InlineData("processing.p50<=10s", "2.500 s")]
    [InlineData("missing>0", "1")]
    [InlineData("reply-rate<100", "msg/s")]
    public void Evaluate_AnyMetric_ActualTextCarriesTheUnit(string condition, string expected)
    {
        LoadSummary summary = Summaries.WithOneReplyOfTwo();
        FailIfThreshold threshold = Parse(condition);

        ThresholdResult result = threshold.Evaluate(summary);

        Assert.EndsWith(expected, result.ActualText, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_LatencyWithoutReplies_FailsForLackOfData()
    {
        var ledger = new MessageLedger(TimeSpan.FromMinutes(1));
        ledger.RecordSent(Guid.NewGuid(), 100);
        LoadSummary summary = LoadSummary.Create("run", "q", ledger, 0);
        FailIfThreshold threshold = Parse("p99>5s");

        ThresholdResult result = threshold.Evaluate(summary);

        Assert.True(result.Failed);
    }

    private static FailIfThreshold Parse(string text)
    {
        Assert.True(FailIfThreshold.TryParse(text, out FailIfThreshold? threshold, out string error), error);
        return threshold!;
    }
}
