using QueueInference.Cli.CommandLine;

namespace QueueInference.Cli.LoadTesting;

/// <summary>What <c>qi load</c> was asked to do. Either <see cref="Count"/> or <see cref="Rate"/> with <see cref="Duration"/>.</summary>
public sealed record LoadSettings
{
    public string ConnectionString { get; init; } = "amqp://guest:guest@localhost:5672/";

    public string Queue { get; init; } = "request_queue";

    /// <summary>The client's own reply queue; by default one per run, so replies of other runs never mix in.</summary>
    public string? ResponseQueue { get; init; }

    public bool DeclareQueue { get; init; }

    public int? Count { get; init; }

    public double? Rate { get; init; }

    public TimeSpan? Duration { get; init; }

    public int Connections { get; init; } = 1;

    public int MaxOutstandingConfirms { get; init; } = 1000;

    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to keep collecting after the last send before the rest count as missing.</summary>
    public TimeSpan Wait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The run's reports go to a folder <c>load-&lt;run id&gt;</c> in this directory.</summary>
    public string OutputDirectory { get; init; } = QiReports.DefaultDirectory;

    public IReadOnlyList<FailIfThreshold> FailIf { get; init; } = [];

    public int? RandomSeed { get; init; }

    /// <summary>Values per request: the seed's 5, another size, or a weighted mix of sizes.</summary>
    public ValueCountMix Values { get; init; } = ValueCountMix.Seed;

    /// <summary>Every problem with these settings, one sentence each; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(ConnectionString, UriKind.Absolute, out Uri? uri) || (uri.Scheme != "amqp" && uri.Scheme != "amqps"))
        {
            errors.Add("--broker must be an amqp:// or amqps:// URI");
        }

        if (string.IsNullOrWhiteSpace(Queue))
        {
            errors.Add("--queue must not be empty");
        }

        if (Count is null == Rate is null)
        {
            errors.Add("give either --count N or --rate R with --duration T");
        }

        if (Count is <= 0)
        {
            errors.Add("--count must be at least 1");
        }

        if (Rate is { } rate && (!double.IsFinite(rate) || rate <= 0 || rate > 1_000_000))
        {
            errors.Add($"--rate must be a number of messages per second in (0, 1000000], not {rate}");
        }

        if (Rate is not null && Duration is not { Ticks: > 0 })
        {
            errors.Add("--rate needs a positive --duration");
        }

        if (Count is not null && Duration is not null)
        {
            errors.Add("--duration applies to --rate only");
        }

        if (Connections is < 1 or > 64)
        {
            errors.Add("--connections must be between 1 and 64");
        }

        if (MaxOutstandingConfirms is < 1 or > 1_000_000)
        {
            errors.Add("--max-outstanding must be between 1 and 1000000");
        }

        if (ReplyTimeout <= TimeSpan.Zero || Wait < TimeSpan.Zero)
        {
            errors.Add("--reply-timeout must be positive and --wait not negative");
        }

        return errors;
    }
}
