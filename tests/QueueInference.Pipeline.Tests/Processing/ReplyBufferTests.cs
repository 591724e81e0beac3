using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Contract;
using QueueInference.Pipeline.Processing;

namespace QueueInference.Pipeline.Tests.Processing;

public sealed class ReplyBufferTests
{
    [Theory]
    [InlineData(5)]
    [InlineData(64)]
    [InlineData(100)]
    public void RentReplyBuffer_RequestOfThisSize_ReplyFitsWithoutGrowingPastThePool(int values)
    {
        // Arrange: values of 17 significant digits, as the benchmark sends, and 16 outputs, as the heavy model returns.
        var random = new Random(7);
        string data = string.Join(", ", Enumerable.Range(0, values).Select(_ => (random.NextDouble() * 2 - 1).ToString("R", CultureInfo.InvariantCulture)));
        byte[] body = Encoding.UTF8.GetBytes($$"""{"message_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "data": [{{data}}], "send_timestamp": 1764583200.123456}""");
        Assert.True(new RequestParser(Options.Create(new ContractOptions())).TryParse(body, out InferenceRequest? request, out _));
        float[] outputs = [.. Enumerable.Range(0, 16).Select(i => (float)(random.NextDouble() * 1000))];
        ArrayBufferWriter<byte> buffer = InferencePipeline.RentReplyBuffer(body.Length);
        int capacity = buffer.Capacity;

        // Act
        using (request)
        {
            ReplyWriter.Write(buffer, request!, 1764583200.5, 1764583203.75, 12345.678901234567, outputs, [1, 16]);
        }

        // Assert: sized once, so the reply's writer never asked for its 4 KB more, and the pool takes the buffer back.
        Assert.Equal(capacity, buffer.Capacity);
        Assert.InRange(buffer.Capacity, buffer.WrittenCount, InferencePipeline.PooledReplyBytes);
    }

    [Fact]
    public void RentReplyBuffer_BodyTooLargeForThePool_SizedForItsReply()
    {
        // Act
        ArrayBufferWriter<byte> buffer = InferencePipeline.RentReplyBuffer(60_000);

        // Assert
        Assert.True(buffer.Capacity >= 60_000 + 1024, $"capacity {buffer.Capacity}");
    }
}
