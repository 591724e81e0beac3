using System.Text;
using QueueInference.Cli.Benchmarking;
using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Tests.Benchmarking;

public sealed class EchoResponderTests
{
    [Fact]
    public void WriteReply_ParsedByTheLoadTester_SameIdAndTimestamps()
    {
        byte[] reply = EchoResponder.WriteReply("0f8fad5b-d9cb-469f-a165-70867728950e", 1700000001.125, 1700000001.5);

        bool parsed = ReplyParser.TryParse(reply, out ReplyTimestamps timestamps);

        Assert.True(parsed);
        Assert.Equal(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), timestamps.MessageId);
        Assert.Equal(1700000001.125, timestamps.PickUpTimestamp);
        Assert.Equal(1700000001.5, timestamps.ResponseTimestamp);
    }

    [Fact]
    public void ReadMessageId_SeedRequest_ReturnsId()
    {
        byte[] request = SeedRequest.CreateBody(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), [0.5], 1.5);

        Assert.Equal("0f8fad5b-d9cb-469f-a165-70867728950e", EchoResponder.ReadMessageId(request));
    }

    [Fact]
    public void ReadMessageId_NestedIdOnly_Null()
    {
        byte[] request = Encoding.UTF8.GetBytes("{\"data\": {\"message_id\": \"nested\"}}");

        Assert.Null(EchoResponder.ReadMessageId(request));
    }
}
