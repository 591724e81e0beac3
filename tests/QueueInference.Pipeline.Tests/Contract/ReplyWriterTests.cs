using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using QueueInference.Pipeline.Contract;

namespace QueueInference.Pipeline.Tests.Contract;

public sealed class ReplyWriterTests
{
    [Fact]
    public void Write_SeedRequest_ProducesSeedReplyShape()
    {
        // Arrange
        byte[] body = Encoding.UTF8.GetBytes("""{"message_id": "id-1", "data": [3.0, 4.0], "send_timestamp": 1.5}""");
        Assert.True(new RequestParser(Options.Create(new ContractOptions())).TryParse(body, out InferenceRequest? request, out _));
        var buffer = new ArrayBufferWriter<byte>();

        // Act
        using (request)
        {
            ReplyWriter.Write(buffer, request!, 1700000000.5, 1700000003.75, 50000.0, [50000f], [1, 1]);
        }

        // Assert
        string json = Encoding.UTF8.GetString(buffer.WrittenSpan);
        Assert.Equal(
            """{"message_id":"id-1","pick_up_timestamp":1700000000.5,"response_timestamp":1700000003.75,"result":{"original_input":[3.0, 4.0],"processed_data":"50000.0","model_output":[[50000.0]]}}""",
            json);
        using JsonDocument document = JsonDocument.Parse(json);
        Assert.Equal("id-1", document.RootElement.GetProperty("message_id").GetString());
    }

    [Fact]
    public void Write_EscapedMessageId_EchoesItAsSent()
    {
        // Arrange
        byte[] body = Encoding.UTF8.GetBytes("""{"message_id": "a\"b\u00e9", "data": []}""");
        Assert.True(new RequestParser(Options.Create(new ContractOptions())).TryParse(body, out InferenceRequest? request, out _));
        var buffer = new ArrayBufferWriter<byte>();

        // Act
        using (request)
        {
            ReplyWriter.Write(buffer, request!, 1, 2, 0.0, [0f], [1, 1]);
        }

        // Assert
        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory);
        Assert.Equal("a\"b\u00e9", document.RootElement.GetProperty("message_id").GetString());
        Assert.Equal(0, document.RootElement.GetProperty("result").GetProperty("original_input").GetArrayLength());
    }

    [Fact]
    public void Write_MultiDimensionalOutput_NestsLikeToList()
    {
        // Arrange
        byte[] body = Encoding.UTF8.GetBytes("""{"message_id": "m", "data": [1]}""");
        Assert.True(new RequestParser(Options.Create(new ContractOptions())).TryParse(body, out InferenceRequest? request, out _));
        var buffer = new ArrayBufferWriter<byte>();

        // Act
        using (request)
        {
            ReplyWriter.Write(buffer, request!, 1, 2, 1.0, [1f, 2f, 3f, 4f, 5f, 6f], [1, 2, 3]);
        }

        // Assert
        Assert.Contains("\"model_output\":[[[1.0,2.0,3.0],[4.0,5.0,6.0]]]", Encoding.UTF8.GetString(buffer.WrittenSpan), StringComparison.Ordinal);
    }
}
