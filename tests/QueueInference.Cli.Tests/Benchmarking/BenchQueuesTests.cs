using System.Text;
using QueueInference.Cli.Benchmarking;
using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Tests.Benchmarking;

public sealed class BenchQueuesTests
{
    [Fact]
    public void TryReadMessageId_SeedRequestBody_ItsId()
    {
        var id = Guid.NewGuid();
        byte[] body = SeedRequest.CreateBody(id, SeedRequest.RandomData(new Random(1), 4096), 1700000000.5);

        Assert.True(BenchQueues.TryReadMessageId(body, out Guid read));
        Assert.Equal(id, read);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("{\"data\": [1], \"message_id\": 5}")]
    [InlineData("{\"data\": [1]}")]
    public void TryReadMessageId_NoUsableId_False(string body)
    {
        Assert.False(BenchQueues.TryReadMessageId(Encoding.UTF8.GetBytes(body), out _));
    }

    [Fact]
    public void DeadLetterQueueOf_RequestQueue_TheWorkersDefaultName()
    {
        Assert.Equal("qi_bench_requests.dead", BenchQueues.DeadLetterQueueOf("qi_bench_requests"));
    }

    [Theory]
    [InlineData(20_000, 200_000L)]
    [InlineData(int.MaxValue, int.MaxValue)]
    public void MaxLength_Backlog_TenBacklogsAtMostIntMax(int backlog, long expected)
    {
        Assert.Equal(expected, BenchRunner.MaxLength(backlog));
    }

    [Fact]
    public void QueueArgumentsText_TypeAndBounds_BoundsOnlyInOrder()
    {
        var arguments = new Dictionary<string, object?> { ["x-queue-type"] = "quorum", ["x-max-length"] = 200_000L, ["x-overflow"] = "reject-publish" };

        Assert.Equal("x-max-length=200000, x-overflow=reject-publish", BenchRunner.QueueArgumentsText(arguments));
        Assert.Equal(string.Empty, BenchRunner.QueueArgumentsText(null));
    }
}
