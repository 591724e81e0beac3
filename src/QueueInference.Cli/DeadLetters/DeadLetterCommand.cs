using System.CommandLine;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace QueueInference.Cli.DeadLetters;

/// <summary><c>qi dlq list | inspect | replay</c>: look at dead-lettered requests and send them back.</summary>
public static class DeadLetterCommand
{
    private const string NoDeadLettersYet = "no dead letters yet (the queue is created with the first one)";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var broker = new Option<string>("--broker", "-b") { Description = "AMQP URI of the broker", DefaultValueFactory = _ => "amqp://guest:guest@localhost:5672/" };
        var queue = new Option<string>("--queue", "-q") { Description = "dead-letter queue", DefaultValueFactory = _ => "request_queue.dead" };
        var max = new Option<int>("--max", "-n") { Description = "most messages to handle", DefaultValueFactory = _ => 100 };
        var position = new Option<int>("--position", "-p") { Description = "which message, counting from 1 at the head (as list shows)", DefaultValueFactory = _ => 1 };
        var target = new Option<string?>("--to") { Description = "queue to replay into (default: each message's x-original-queue)" };
        var reason = new Option<string?>("--reason") { Description = "replay only messages dead-lettered for this reason, e.g. retries-exhausted" };
        var dryRun = new Option<bool>("--dry-run") { Description = "show what would be replayed, change nothing" };

        var list = new Command("list", "List dead letters without removing them: position, reason, original queue, time, correlation id, size.") { broker, queue, max };
        list.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(broker)!, parse.GetValue(queue)!, async (dlq, output) =>
        {
            uint total = await dlq.CountAsync(cancellationToken);
            List<DeadLetterEntry> entries = await dlq.PeekAsync(parse.GetValue(max), cancellationToken);
            output.WriteLine($"{parse.GetValue(queue)}: {total} message(s){(entries.Count < total ? $", showing the first {entries.Count}" : string.Empty)}");
            output.WriteLine($"{"#",4}  {"reason",-22} {"original queue",-20} {"dead-lettered (UTC)",-20} {"correlation id",-38} {"bytes",6}");
            foreach (DeadLetterEntry entry in entries)
            {
                output.WriteLine($"{entry.Position,4}  {entry.Reason ?? "-",-22} {entry.OriginalQueue ?? "-",-20} {entry.DeadLetteredAt?.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) ?? "-",-20} {entry.Properties.CorrelationId ?? "-",-38} {entry.Body.Length,6}");
            }

            return 0;
        },
        output =>
        {
            output.WriteLine($"{parse.GetValue(queue)}: 0 message(s) - {NoDeadLettersYet}");
            return 0;
        }));

        var inspect = new Command("inspect", "Show one dead letter in full: properties, headers and body.") { broker, queue, position };
        inspect.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(broker)!, parse.GetValue(queue)!, async (dlq, output) =>
        {
            int wanted = parse.GetValue(position);
            List<DeadLetterEntry> entries = await dlq.PeekAsync(wanted, cancellationToken);
            if (entries.Count < wanted)
            {
                Console.Error.WriteLine($"qi dlq: {parse.GetValue(queue)} has {entries.Count} message(s), no position {wanted}");
                return 2;
            }

            DeadLetterEntry entry = entries[wanted - 1];
            output.WriteLine($"position:       {entry.Position}");
            output.WriteLine($"correlation_id: {entry.Properties.CorrelationId}");
            output.WriteLine($"reply_to:       {entry.Properties.ReplyTo}");
            foreach ((string key, object? _) in entry.Properties.Headers ?? new Dictionary<string, object?>())
            {
                output.WriteLine($"header {key}: {entry.Header(key)}");
            }

            output.WriteLine("body:");
            output.WriteLine(Pretty(entry.Body));
            return 0;
        },
        _ =>
        {
            Console.Error.WriteLine($"qi dlq: {parse.GetValue(queue)} has no message at position {parse.GetValue(position)} - {NoDeadLettersYet}");
            return 2;
        }));

        var replay = new Command("replay", "Republish dead letters to their original queue (or --to) without their failure headers, then remove them; each is confirmed by the broker before removal.") { broker, queue, max, target, reason, dryRun };
        replay.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(broker)!, parse.GetValue(queue)!, async (dlq, output) =>
        {
            bool dry = parse.GetValue(dryRun);
            ReplaySummary summary = await dlq.ReplayAsync(
                parse.GetValue(target),
                parse.GetValue(reason),
                parse.GetValue(max),
                dry,
                (entry, destination) => output.WriteLine($"{(dry ? "would replay" : "replayed")} {entry.Properties.CorrelationId ?? "(no correlation id)"} ({entry.Reason}) -> {destination}"),
                cancellationToken);
            output.WriteLine($"{(dry ? "dry run: " : string.Empty)}{summary.Replayed} replayed, {summary.Left} left in {parse.GetValue(queue)}");
            return 0;
        },
        output =>
        {
            output.WriteLine($"{(parse.GetValue(dryRun) ? "dry run: " : string.Empty)}0 replayed - {parse.GetValue(queue)}: {NoDeadLettersYet}");
            return 0;
        }));

        return new Command("dlq", "Dead-letter queue tool: list, inspect and replay dead-lettered requests.") { list, inspect, replay };
    }

    /// <summary>
    /// The app declares a dead-letter queue when it first dead-letters a request, so a missing queue means
    /// "none yet" (<paramref name="whenQueueMissing"/>), not an error.
    /// </summary>
    private static async Task<int> RunAsync(string broker, string queue, Func<DeadLetterBrowser, TextWriter, Task<int>> action, Func<TextWriter, int> whenQueueMissing)
    {
        try
        {
            var factory = new ConnectionFactory { Uri = new Uri(broker), ClientProvidedName = "qi-dlq" };
            await using IConnection connection = await factory.CreateConnectionAsync();
            return await action(new DeadLetterBrowser(connection, queue), Console.Out);
        }
        catch (BrokerUnreachableException)
        {
            Console.Error.WriteLine($"qi dlq: cannot reach {Pipeline.Messaging.ConnectionStrings.Redact(broker)}");
            return 2;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return whenQueueMissing(Console.Out);
        }
        catch (UriFormatException)
        {
            Console.Error.WriteLine("qi dlq: --broker is not an AMQP URI");
            return 2;
        }
    }

    private static string Pretty(ReadOnlyMemory<byte> body)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            string text = Encoding.UTF8.GetString(body.Span);
            return text.Length > 4000 ? text[..4000] + "…" : text;
        }
    }
}
