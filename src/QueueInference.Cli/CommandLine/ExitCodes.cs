namespace QueueInference.Cli.CommandLine;

/// <summary>qi's exit codes, the same for every command (README, "Exit codes").</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The run's verdict failed: a --fail-if threshold held, no recommendation met the target, a drain was outside the tolerance.</summary>
    public const int Failed = 1;

    /// <summary>A usage error: an unknown option, a value that does not parse or does not fit, a broker or queue that is not there.</summary>
    public const int Usage = 2;
}
