using System.Globalization;

namespace QueueInference.Cli.LoadTesting;

/// <summary>
/// How many values each request's <c>data</c> carries: one size (<c>5</c>, the seed's) or a weighted
/// mix (<c>5:95,4096:5</c>: 95 parts of 5-value requests to 5 parts of 4096-value ones). Each
/// request's size is drawn from the run's <see cref="Random"/>, so a seeded run sends the same sequence.
/// </summary>
public sealed class ValueCountMix
{
    /// <summary>Largest size accepted: the worker's default Contract:MaxDataLength is 4096, larger ones test its rejections.</summary>
    public const int MaxValues = 65536;

    private readonly int[] _cumulativeWeights;

    private ValueCountMix(IReadOnlyList<ValueCountShare> shares)
    {
        Shares = shares;
        _cumulativeWeights = new int[shares.Count];
        int total = 0;
        for (int i = 0; i < shares.Count; i++)
        {
            total += shares[i].Weight;
            _cumulativeWeights[i] = total;
        }
    }

    /// <summary>Every request with the seed's five values.</summary>
    public static ValueCountMix Seed { get; } = new([new ValueCountShare(SeedRequest.DataLength, 1)]);

    public IReadOnlyList<ValueCountShare> Shares { get; }

    public int TotalWeight => _cumulativeWeights[^1];

    public static ValueCountMix Of(int values) => Parse(values.ToString(CultureInfo.InvariantCulture));

    /// <summary>Parses <c>N</c> or <c>N:W,N:W,...</c> (sizes 1..<see cref="MaxValues"/>, distinct, positive integer weights).</summary>
    public static ValueCountMix Parse(string text)
    {
        return TryParse(text, out ValueCountMix? mix, out string error) ? mix! : throw new FormatException(error);
    }

    public static bool TryParse(string? text, out ValueCountMix? mix, out string error)
    {
        mix = null;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "--values must be a size such as 5 or a mix such as 5:95,4096:5";
            return false;
        }

        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        var shares = new List<ValueCountShare>(parts.Length);
        foreach (string part in parts)
        {
            string[] pair = part.Split(':', StringSplitOptions.TrimEntries);
            if (pair.Length > 2
                || !int.TryParse(pair[0], NumberStyles.None, CultureInfo.InvariantCulture, out int values)
                || values is < 1 or > MaxValues)
            {
                error = $"--values: '{part}' is not a size from 1 to {MaxValues}, optionally with ':weight'";
                return false;
            }

            int weight = 1;
            if (pair.Length == 2 && (!int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out weight) || weight is < 1 or > 1_000_000))
            {
                error = $"--values: the weight in '{part}' must be a whole number from 1 to 1000000";
                return false;
            }

            if (shares.Any(s => s.Values == values))
            {
                error = $"--values: size {values} is given twice";
                return false;
            }

            if (pair.Length == 1 && parts.Length > 1)
            {
                error = $"--values: '{part}' needs a weight in a mix (e.g. {values}:5)";
                return false;
            }

            shares.Add(new ValueCountShare(values, weight));
        }

        mix = new ValueCountMix(shares);
        return true;
    }

    /// <summary>The next request's size. A single size draws nothing, so a seeded run's data stays what it was before mixes existed.</summary>
    public int Next(Random random)
    {
        if (Shares.Count == 1)
        {
            return Shares[0].Values;
        }

        int draw = random.Next(TotalWeight);
        for (int i = 0; i < _cumulativeWeights.Length; i++)
        {
            if (draw < _cumulativeWeights[i])
            {
                return Shares[i].Values;
            }
        }

        throw new InvalidOperationException("unreachable: the draw is below the total weight");
    }

    /// <summary>The share of requests with <paramref name="values"/> values (0 when the mix has no such size).</summary>
    public double ShareOf(int values) => Shares.Where(s => s.Values == values).Sum(s => (double)s.Weight) / TotalWeight;

    /// <summary>The canonical text: <c>5</c> for a single size, <c>5:95,4096:5</c> for a mix.</summary>
    public override string ToString() => Shares.Count == 1
        ? Shares[0].Values.ToString(CultureInfo.InvariantCulture)
        : string.Join(',', Shares.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Values}:{s.Weight}")));
}
