namespace QueueInference.Pipeline.Hosting;

/// <summary>The hosts' documented exit codes (README, "Exit codes"); the non-zero ones follow BSD's sysexits.h.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>EX_SOFTWARE: an unexpected failure (a bug); the exception is printed whole.</summary>
    public const int Software = 70;

    /// <summary>EX_CONFIG: a setting is invalid; one line per problem names it, its value and the rule.</summary>
    public const int InvalidConfiguration = 78;
}
