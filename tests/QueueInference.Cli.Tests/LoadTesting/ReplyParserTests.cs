using System.Text;
using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Tests.LoadTesting;

public sealed class ReplyParserTests
{
    [Fact]
    public void TryParse_SeedReply_ReadsIdAndTimestamps()
    {
        byte[] body = Encoding.UTF8.GetBytes(
            "{\"message_id\": \"0f8fad5b-d9cb-469f-a165-70867728950e\", \"pick_up_timestamp\": 1700000001.5, \"response_timestamp\": 1700000004.75, " +
            "\"result\": {\"original_input\": [0.1], \"processed_data\": \"7416.1984871113245\", \"model_output\": [[7416.19873046875]]}}");

        bool parsed = ReplyParser.TryParse(body, out ReplyTimestamps reply);

        Assert.True(parsed);
        Assert.Equal(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), reply.MessageId);
        Assert.Equal(1700000001.5, reply.PickUpTimestamp);
        Assert.Equal(1700000004.75, reply.ResponseTimestamp);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("{\"message_id\": \"x\", \"pick_up_timestamp\": 1, \"response_timestamp\": 2}")]
    [InlineData("{\"message_id\": \"0f8fad5b-d9cb-469f-a165-70867728950e\", \"pick_up_timestamp\": 1}")]
    [InlineData("{\"message_id\": \"0f8fad5b-d9cb-469f-a165-70867728950e\", \"pick_up_timestamp\": \"1\", \"response_timestamp\": 2}")]
    public void TryParse_NotASeedReply_False(string text)
    {
        bool parsed = ReplyParser.TryParse(Encoding.UTF8.GetBytes(text), out _);

        Assert.False(parsed);
    }
}
