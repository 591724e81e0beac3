using System.Text;
using QueueInference.Pipeline.Messaging;
using QueueInference.Pipeline.Processing;
using RabbitMQ.Client;

namespace QueueInference.Pipeline.Tests.Processing;

public sealed class RequestKeyTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"message_id": "m1", "data": [1, 2, 3]}""");

    private static BasicProperties Properties(string correlationId = "c1", int? attempts = null) => new()
    {
        CorrelationId = correlationId,
        ReplyTo = "replies",
        Headers = attempts is { } a ? new Dictionary<string, object?> { [RetryHeaders.Attempts] = a } : null,
    };

    [Fact]
    public void For_SameMessageDeliveredAgain_SameKey()
    {
        // Arrange, Act
        RequestKey first = RequestKey.For("q", Properties(), Body);
        RequestKey again = RequestKey.For("q", Properties(), Body.ToArray());

        // Assert
        Assert.Equal(first, again);
    }

    [Fact]
    public void For_AnyPartDiffers_DifferentKey()
    {
        // Arrange
        RequestKey original = RequestKey.For("q", Properties(), Body);
        byte[] otherBody = [.. Body];
        otherBody[^2] = (byte)'4';

        // Act
        RequestKey[] others =
        [
            RequestKey.For("q2", Properties(), Body),
            RequestKey.For("q", Properties("c2"), Body),
            RequestKey.For("q", Properties(attempts: 1), Body),
            RequestKey.For("q", Properties(), otherBody),
        ];

        // Assert
        Assert.All(others, key => Assert.NotEqual(original, key));
        Assert.Equal(others.Length, others.Distinct().Count());
    }
}
