using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace QueueInference.Pipeline.Messaging;

/// <summary>Sorts the client's exceptions into a connection that went away and a refusal no retry will change.</summary>
public static class BrokerErrors
{
    /// <summary>
    /// The connection or channel is gone or unreachable (broker restart, node loss, network, closed
    /// connections): nothing about the request is at fault, and whatever was unacked comes back from the broker.
    /// </summary>
    public static bool IsConnectionFailure(Exception error) => Refusal(error) is null && error switch
    {
        AlreadyClosedException or BrokerUnreachableException or ConnectFailureException or IOException => true,
        // Closed by the broker as a whole (320 CONNECTION_FORCED: restart, close_all_connections), or by this side.
        OperationInterruptedException { ShutdownReason: null } => true,
        OperationInterruptedException { ShutdownReason: { } reason } =>
            reason.ReplyCode is Constants.ConnectionForced or Constants.InternalError || reason.Initiator != ShutdownInitiator.Peer,
        _ => false,
    };

    /// <summary>
    /// What the broker refused, as "ACCESS_REFUSED - ...", when retrying cannot help: credentials or
    /// permissions (403), an unknown vhost (530), a queue declared with other arguments (406), a queue owned
    /// by another connection (405); null for anything else.
    /// </summary>
    public static string? Refusal(Exception error)
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case AuthenticationFailureException auth:
                    return $"ACCESS_REFUSED - {auth.Message}";
                case OperationInterruptedException { ShutdownReason: { ReplyCode: Constants.AccessRefused or Constants.NotAllowed or Constants.PreconditionFailed or Constants.ResourceLocked } reason }:
                    return reason.ReplyText;
            }
        }

        return null;
    }

    /// <summary>A channel-level 404 NOT_FOUND, as a passive declare of a missing queue gives.</summary>
    public static bool IsNotFound(Exception error) =>
        error is OperationInterruptedException { ShutdownReason.ReplyCode: Constants.NotFound };
}
