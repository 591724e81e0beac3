using QueueInference.Pipeline.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace QueueInference.Pipeline.Tests.Messaging;

public sealed class BrokerErrorsTests
{
    private static OperationInterruptedException Closed(ushort code, string text, ShutdownInitiator initiator = ShutdownInitiator.Peer) =>
        new(new ShutdownEventArgs(initiator, code, text));

    [Theory]
    [InlineData(403, "ACCESS_REFUSED - access to queue 'q' in vhost '/' refused for user 'u'")]
    [InlineData(406, "PRECONDITION_FAILED - inequivalent arg 'x-queue-type'")]
    [InlineData(405, "RESOURCE_LOCKED - cannot obtain exclusive access to locked queue 'q'")]
    [InlineData(530, "NOT_ALLOWED - vhost missing not found")]
    public void Refusal_ErrorsRetryingDoesNotFix_NamesThem(ushort code, string text)
    {
        // Arrange
        var error = new BrokerUnreachableException(Closed(code, text));

        // Act
        string? refusal = BrokerErrors.Refusal(error);

        // Assert
        Assert.Equal(text, refusal);
        Assert.False(BrokerErrors.IsConnectionFailure(error));
    }

    [Fact]
    public void IsConnectionFailure_ForcedCloseOrClosedConnection_IsTrue()
    {
        // Arrange
        Exception[] errors =
        [
            Closed(320, "CONNECTION_FORCED - Closed via management plugin"),
            new AlreadyClosedException(new ShutdownEventArgs(ShutdownInitiator.Library, 541, "Unexpected Exception")),
            Closed(200, "Goodbye", ShutdownInitiator.Application),
            new IOException("connection reset"),
        ];

        // Act, Assert
        Assert.All(errors, e => Assert.True(BrokerErrors.IsConnectionFailure(e), e.Message));
        Assert.All(errors, e => Assert.Null(BrokerErrors.Refusal(e)));
    }

    [Fact]
    public void IsNotFound_PassiveDeclareOfMissingQueue_IsTrue()
    {
        // Arrange
        OperationInterruptedException error = Closed(404, "NOT_FOUND - no queue 'q' in vhost '/'");

        // Act, Assert
        Assert.True(BrokerErrors.IsNotFound(error));
        Assert.False(BrokerErrors.IsConnectionFailure(error));
    }
}
