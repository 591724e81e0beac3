using RabbitMQ.Client;

namespace QueueInference.Testing;

/// <summary>Takes every message out of a queue (basic.get + ack), for checking what landed there.</summary>
public static class QueueReader
{
    /// <summary>A queue that does not exist (nothing was ever sent to it) reads as empty.</summary>
    public static async Task<List<DeadLetter>> DrainAsync(TestBroker broker, string queue)
    {
        await using IConnection connection = await broker.ConnectAsync("queue-reader");
        var messages = new List<DeadLetter>();
        await using (IChannel probe = await connection.CreateChannelAsync())
        {
            try
            {
                await probe.QueueDeclarePassiveAsync(queue);
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
            {
                return messages;
            }
        }

        await using IChannel channel = await connection.CreateChannelAsync();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
        {
            messages.Add(new DeadLetter(
                System.Text.Encoding.UTF8.GetString(message.Body.Span),
                message.BasicProperties.CorrelationId,
                message.BasicProperties.ReplyTo,
                message.BasicProperties.Headers is { } headers ? new Dictionary<string, object?>(headers) : []));
        }

        return messages;
    }

    /// <summary>Waits until <paramref name="queue"/> holds at least <paramref name="count"/> ready messages.</summary>
    public static async Task WaitForReadyAsync(TestBroker broker, string queue, long count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        long ready = 0;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                (ready, _) = await broker.QueueCountsAsync(queue);
                if (ready >= count)
                {
                    return;
                }
            }
            catch (InvalidOperationException)
            {
                // Not declared yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{queue} has {ready} ready messages, expected {count}.");
    }
}
