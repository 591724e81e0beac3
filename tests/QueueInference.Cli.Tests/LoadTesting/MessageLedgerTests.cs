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
    public void Unanswered_SomeReplied_OnlyTheOthers()
    {
        var replied = Guid.NewGuid();
        var late = Guid.NewGuid();
        var unanswered = Guid.NewGuid();
        _ledger.RecordSent(replied, 100);
        _ledger.RecordSent(late, 100);
        _ledger.RecordSent(unanswered, 100);
        _ledger.RecordReply(new ReplyTimestamps(replied, 101, 102), 102.1);
        _ledger.RecordReply(new ReplyTimestamps(late, 101, 150), 150.1);

        Assert.Equal([unanswered], _ledger.Unanswered());
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

    [Fact]
    public void RecordReply_RedeliveredCopyOfABookedReply_CountedAsRedeliveredNotDuplicate()
    {
        var id = Guid.NewGuid();
        _ledger.RecordSent(id, 100);
        _ledger.RecordReply(new ReplyTimestamps(id, 101, 102), 102.1);

        ReplyOutcome outcome = _ledger.RecordReply(new ReplyTimestamps(id, 101, 102), 103, redelivered: true);

        Assert.Equal(ReplyOutcome.Redelivered, outcome);
        Assert.Equal(0, _ledger.Duplicates);
        Assert.Equal(1, _ledger.Redelivered);
        Assert.Equal(1, _ledger.Replied);
    }

    [Fact]
    public void RecordReply_RedeliveredReplyFromASecondAttempt_CountedAsDuplicate()
    {
        // The worker's second reply has its own timestamps: the redelivered flag does not excuse it.
        var id = Guid.NewGuid();
        _ledger.RecordSent(id, 100);
        _ledger.RecordReply(new ReplyTimestamps(id, 101, 102), 102.1);

        ReplyOutcome outcome = _ledger.RecordReply(new ReplyTimestamps(id, 104, 105), 105.1, redelivered: true);

        Assert.Equal(ReplyOutcome.Duplicate, outcome);
        Assert.Equal(1, _ledger.Duplicates);
        Assert.Equal(0, _ledger.Redelivered);
    }

    [Fact]
    public void RecordReply_RedeliveredButNeverBooked_Accepted()
    {
        // Delivered before the collector's connection dropped but never processed: its redelivery is the first copy seen.
        var id = Guid.NewGuid();
        _ledger.RecordSent(id, 100);

        ReplyOutcome outcome = _ledger.RecordReply(new ReplyTimestamps(id, 101, 102), 103, redelivered: true);

        Assert.Equal(ReplyOutcome.Accepted, outcome);
        Assert.Equal(1, _ledger.Replied);
    }

    [Fact]
    public void CountsBySize_MixOfSizes_SentRepliedAndDuplicatesPerSize()
    {
        Guid small = Guid.NewGuid(), smallUnanswered = Guid.NewGuid(), large = Guid.NewGuid();
        _ledger.RecordSent(small, 100);
        _ledger.RecordSent(smallUnanswered, 100);
        _ledger.RecordSent(large, 100, values: 4096);
        _ledger.RecordReply(new ReplyTimestamps(small, 101, 102), 102.1);
        _ledger.RecordReply(new ReplyTimestamps(large, 101, 103), 103.1);
        _ledger.RecordReply(new ReplyTimestamps(large, 104, 106), 106.1);

        IReadOnlyList<SizeCounts> counts = _ledger.CountsBySize();

        Assert.Equal([new SizeCounts(5, 2, 1, 0), new SizeCounts(4096, 1, 1, 1)], counts);
        Assert.Equal(4096, _ledger.SnapshotCompleted().Single(c => c.ResponseTimestamp == 103).Values);
    }

    [Fact]
    public void HasReply_SentAndAnsweredOrNot_TellsThemApart()
    {
        Guid answered = Guid.NewGuid(), unanswered = Guid.NewGuid();
        _ledger.RecordSent(answered, 100);
        _ledger.RecordSent(unanswered, 100);
        _ledger.RecordReply(new ReplyTimestamps(answered, 101, 102), 102.1);

        Assert.True(_ledger.HasReply(answered));
        Assert.False(_ledger.HasReply(unanswered));
        Assert.True(_ledger.WasSent(unanswered));
        Assert.False(_ledger.WasSent(Guid.NewGuid()));
    }
}
