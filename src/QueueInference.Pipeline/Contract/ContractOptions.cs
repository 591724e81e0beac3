using System.ComponentModel.DataAnnotations;

namespace QueueInference.Pipeline.Contract;

/// <summary>Limits applied to every request before any work is done (section <c>Contract</c>).</summary>
public sealed class ContractOptions
{
    public const string SectionName = "Contract";

    /// <summary>Largest accepted request body; larger ones are rejected unread.</summary>
    [Range(64, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Most values accepted in <c>data</c> (the seed sends 5).</summary>
    [Range(0, 1_000_000)]
    public int MaxDataLength { get; set; } = 4096;

    /// <summary>Longest accepted <c>message_id</c>, in UTF-8 bytes as sent.</summary>
    [Range(1, 4096)]
    public int MaxMessageIdBytes { get; set; } = 256;
}
