using System.Text;
using QueueInference.Pipeline.Commands;
using QueueInference.Pipeline.Stages;

namespace QueueInference.Pipeline.Tests.Commands;

public sealed class ReplyProbeTests
{
    private const string MessageId = "6f1c1b0e-0d7a-4f3e-9a59-1f2f4f3b8c11";
    private const string SeedProcessedData = "7416.1984871113245";

    [Fact]
    public void ExpectedProcessedData_SeedIterations_IsTheSeedContractsValue()
    {
        // Arrange: ../shared/seed/README.md, the first test vector.
        const int seedIterations = 100_000;

        // Act
        string expected = ReplyProbe.ExpectedProcessedData(seedIterations);

        // Assert
        Assert.Equal(SeedProcessedData, expected);
    }

    [Theory]
    [InlineData(TransformationMode.Fast, SeedProcessedData)]
    [InlineData(TransformationMode.SeedCost, SeedProcessedData)]
    [InlineData(TransformationMode.Features, null)]
    public void ExpectedProcessedData_TransformationMode_SeedValueOrNotChecked(TransformationMode mode, string? expected)
    {
        // Act
        string? actual = ReplyProbe.ExpectedProcessedData(new TransformationOptions { Mode = mode });

        // Assert
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void CheckReply_NoExpectedProcessedData_AcceptsAnyString()
    {
        // Arrange: Features mode with model-heavy answers the probe's 5 values with "5.0".
        byte[] reply = Reply("5.0");

        // Act
        string? problem = ReplyProbe.CheckReply(reply, MessageId, null);

        // Assert
        Assert.Null(problem);
    }

    [Fact]
    public void CheckReply_SeedShapedReply_HasNoProblem()
    {
        // Arrange
        byte[] reply = Reply(SeedProcessedData);

        // Act
        string? problem = ReplyProbe.CheckReply(reply, MessageId, SeedProcessedData);

        // Assert
        Assert.Null(problem);
    }

    [Fact]
    public void CheckReply_OtherProcessedData_NamesBothValues()
    {
        // Arrange
        byte[] reply = Reply("7416.19848711132");

        // Act
        string? problem = ReplyProbe.CheckReply(reply, MessageId, SeedProcessedData);

        // Assert
        Assert.Equal("result.processed_data is 7416.19848711132, expected 7416.1984871113245 (the seed transformation with the configured Transformation:Iterations)", problem);
    }

    [Fact]
    public void CheckReply_OtherMessageId_ReportsIt()
    {
        // Arrange
        byte[] reply = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Reply(SeedProcessedData)).Replace(MessageId, "another", StringComparison.Ordinal));

        // Act
        string? problem = ReplyProbe.CheckReply(reply, MessageId, SeedProcessedData);

        // Assert
        Assert.StartsWith("message_id is not echoed", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckReply_ErrorReply_ReportsTheError()
    {
        // Arrange
        byte[] reply = Encoding.UTF8.GetBytes("""{"error": {"reason": "invalid-data", "dead_letter_queue": "request_queue.dead"}}""");

        // Act
        string? problem = ReplyProbe.CheckReply(reply, MessageId, SeedProcessedData);

        // Assert
        Assert.StartsWith("the app answered with an error: {\"reason\": \"invalid-data\"", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckReply_NotJson_ReportsIt()
    {
        // Arrange
        byte[] reply = Encoding.UTF8.GetBytes("not json");

        // Act
        string? problem = ReplyProbe.CheckReply(reply, MessageId, SeedProcessedData);

        // Assert
        Assert.StartsWith("the reply is not JSON", problem, StringComparison.Ordinal);
    }

    private static byte[] Reply(string processedData) => Encoding.UTF8.GetBytes(
        $$$"""{"message_id": "{{{MessageId}}}", "pick_up_timestamp": 1.5, "response_timestamp": 4.5, "result": {"original_input": [0.1, 0.2, 0.3, 0.4, 0.5], "processed_data": "{{{processedData}}}", "model_output": [[7416.19873046875]]}}""");
}
