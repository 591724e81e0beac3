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
}
