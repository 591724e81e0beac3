using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Tests.LoadTesting;

/// <summary>Small hand-made runs for the tests.</summary>
internal static class Summaries
{
    /// <summary>Two sent at t=100, one replied: picked up at 101, responded at 103.5, received at 103.6.</summary>
    public static LoadSummary WithOneReplyOfTwo()
    {
        var ledger = new MessageLedger(TimeSpan.FromMinutes(1));
        var replied = Guid.NewGuid();
        ledger.RecordSent(replied, 100);
        ledger.RecordSent(Guid.NewGuid(), 100);
        ledger.RecordReply(new ReplyTimestamps(replied, 101, 103.5), 103.6);
        return LoadSummary.Create("run", "q", ledger, 0);
    }
}
