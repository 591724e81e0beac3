using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using QueueInference.Pipeline.Messaging;

namespace QueueInference.Pipeline.Commands;

/// <summary>
/// The <c>declare-request-queue</c> command: declares each request queue durable with no arguments, the declare
/// every seed client makes, so the two never conflict (another declare would fail with PRECONDITION_FAILED).
/// </summary>
internal static class RequestQueueDeclaration
{
    public static async Task<int> RunAsync(RabbitMqConnectionFactory connections, RabbitMQOptions rabbit, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            await using IConnection connection = await connections.CreateConnectionAsync("declare", cancellationToken);
            await using IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            foreach (string queue in rabbit.RequestQueues)
            {
                QueueDeclareOk declared = await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: cancellationToken);
                await output.WriteLineAsync($"{AppCommands.DeclareRequestQueue}: {queue} is declared (durable, no arguments; {declared.MessageCount} messages ready)");
            }

            return 0;
        }
        catch (Exception ex) when (ex is BrokerUnreachableException or OperationInterruptedException or IOException)
        {
            await output.WriteLineAsync($"{AppCommands.DeclareRequestQueue}: failed at {connections.RedactedEndpoint}: {ex.InnerException?.Message ?? ex.Message}");
            return 1;
        }
    }
}
