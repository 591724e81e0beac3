namespace QueueInference.Cli.LoadTesting;

public enum ThresholdComparison
{
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Equal,
}
