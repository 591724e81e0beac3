namespace QueueInference.Cli.LoadTesting;

/// <summary>A problem with what the user asked for (unreachable broker, missing queue): reported as one line, exit code 2.</summary>
public sealed class LoadInputException(string message) : Exception(message);
