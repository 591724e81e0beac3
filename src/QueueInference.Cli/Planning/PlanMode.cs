namespace QueueInference.Cli.Planning;

/// <summary>Which host consumes the queue.</summary>
public enum PlanMode
{
    /// <summary>The worker host: its own consumer, Consumer:MaxInFlight messages at once, prefetch equal to that limit.</summary>
    Worker,

    /// <summary>The Azure Functions app: the stock RabbitMQ trigger runs one invocation at a time per pod.</summary>
    Functions,
}
