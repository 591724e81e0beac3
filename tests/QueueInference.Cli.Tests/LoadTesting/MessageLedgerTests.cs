using QueueInference.Cli.LoadTesting;

namespace QueueInference.Cli.Tests.LoadTesting;

public sealed class MessageLedgerTests
{
    private readonly MessageLedger _ledger = new(TimeSpan.FromSeconds(10));

    [Fact]
    public void RecordReply_FirstReplyInTime_Accepted()
    {
        var id = Guid.NewGuid();
        _ledger.RecordSent(id, 100);

        ReplyOutcome outcome = _ledger.RecordReply(new ReplyTimestamps(id, 101, 102), 102.1);

        Assert.Equal(ReplyOutcome.Accepted, outcome);
        Assert.Equal(1, _ledger.Replied);
        Assert.Equal(0, _ledger.Missing);
    }

    [Fact]
    public void RecordReply_SecondReplyForSameId_CountedAsDuplicateNotSuccess()
    {
        var id = Guid.NewGuid();
        _ledger.RecordSent(id, 100);
        _ledger.RecordReply(new ReplyTimestamps(id, 101, 102), 102.1);

        ReplyOutcome outcome = _ledger.RecordReply(new ReplyTimestamps(id, 101, 102), 102.2);

        Assert.Equal(ReplyOutcome.Duplicate, outcome);
        Assert.Equal(1, _ledger.Replied);
        Assert.Equal(1, _ledger.Duplicates);
        Assert.Single(_ledger.SnapshotCompleted());
    }

    [Fact]
    public void RecordReply_IdNeverSent_CountedAsUnknown()
    {
        _ledger.RecordSent(Guid.NewGuid(), 100);

        ReplyOutcome outcome = _ledger.RecordReply(new ReplyTimestamps(Guid.NewGuid(), 101, 102), 102.1);

        Assert.Equal(ReplyOutcome.Unknown, outcome);
        Assert.Equal(1, _ledger.Unknown);
        Assert.Equal(1, _ledger.Missing);
    }

    [Fact]
    public void RecordReply_AfterReplyTimeout_CountedAsLateNotMissingNorReplied()
    {
        var id = Guid.NewGuid();
        _ledger.RecordSent(id, 100);

        ReplyOutcome outcome = _ledger.RecordReply(new ReplyTimestamps(id, 101, 109), 110.5);

        Assert.Equal(ReplyOutcome.Late, outcome);
        Assert.Equal(0, _ledger.Replied);
        Assert.Equal(1, _ledger.Late);
        Assert.Equal(0, _ledger.Missing);
    }

    [Fact]
    public void ForgetSent_PublishFailed_NoLongerAwaited()
    {
        var id = Guid.NewGuid();
        _ledger.RecordSent(id, 100);

        _ledger.ForgetSent(id);

        Assert.Equal(0, _ledger.Sent);
        Assert.Equal(0, _ledger.Missing);
    }

    [Fact]
    public void RecordSent_SameIdTwice_Throws()
    {
        var id = Guid.NewGuid();
        _ledger.RecordSent(id, 100);

        Assert.Throws<InvalidOperationException>(() => _ledger.RecordSent(id, 101));
    }
}
