using QueueInference.Pipeline.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace QueueInference.Cli.LoadTesting;

/// <summary>Turns the client's exceptions for the usual mistakes into one sentence a user can act on.</summary>
public static class BrokerChecks
{
    public static async Task<T> ConnectAsync<T>(string connectionString, Func<Task<T>> connect)
    {
        try
        {
            return await connect();
        }
        catch (BrokerUnreachableException exception)
        {
            throw new LoadInputException($"cannot reach the broker at {ConnectionStrings.Redact(connectionString)}: {RootMessage(exception)}");
        }
    }

    private static string RootMessage(Exception exception)
    {
        // The client wraps the socket error in an AggregateException inside BrokerUnreachableException.
        Exception root = exception;
        while (root.InnerException is not null)
        {
            root = root.InnerException;
        }

        return root.Message;
    }

    /// <summary>Checks that <paramref name="queue"/> exists, or declares it as the seed client does (durable, no arguments).</summary>
    public static async Task EnsureRequestQueueAsync(string connectionString, string queue, bool declare, CancellationToken cancellationToken)
    {
        await using IConnection connection = await ConnectAsync(connectionString, () => BrokerConnections.OpenAsync(connectionString, "qi-queue-check", cancellationToken));
        await using IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            if (declare)
            {
                await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: cancellationToken);
            }
            else
            {
                await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            }
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            throw new LoadInputException($"queue '{queue}' does not exist on {ConnectionStrings.Redact(connectionString)} (start the worker first, or pass --declare-queue to declare it as the seed client does)");
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 406)
        {
            throw new LoadInputException($"queue '{queue}' exists with other settings than the seed's (durable, no arguments): {exception.ShutdownReason.ReplyText}");
        }
    }
}
