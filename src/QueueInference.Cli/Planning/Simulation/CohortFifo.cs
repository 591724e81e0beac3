namespace QueueInference.Cli.Planning.Simulation;

/// <summary>A FIFO of message cohorts with a running total; the front can be taken in part and pushed back.</summary>
public sealed class CohortFifo
{
    private readonly List<MessageCohort> _items = [];
    private int _head;

    public double Total { get; private set; }

    public bool IsEmpty => _head >= _items.Count;

    public MessageCohort Front => _items[_head];

    public int Count => _items.Count - _head;

    public void Enqueue(MessageCohort cohort)
    {
        if (cohort.Amount <= 0)
        {
            return;
        }

        _items.Add(cohort);
        Total += cohort.Amount;
    }

    /// <summary>Puts a cohort back at the front, as a broker requeue does for unacknowledged messages.</summary>
    public void PushFront(MessageCohort cohort)
    {
        if (cohort.Amount <= 0)
        {
            return;
        }

        if (_head > 0)
        {
            _head--;
            _items[_head] = cohort;
        }
        else
        {
            _items.Insert(0, cohort);
        }

        Total += cohort.Amount;
    }

    /// <summary>Removes up to <paramref name="maxAmount"/> from the front cohort and returns what was taken.</summary>
    public MessageCohort TakeFromFront(double maxAmount)
    {
        MessageCohort front = _items[_head];
        if (front.Amount <= maxAmount)
        {
            _head++;
            Total -= front.Amount;
            Compact();
            return front;
        }

        _items[_head] = front with { Amount = front.Amount - maxAmount };
        Total -= maxAmount;
        return front with { Amount = maxAmount };
    }

    /// <summary>Everything, front first, leaving the queue empty.</summary>
    public List<MessageCohort> DrainAll()
    {
        var all = _items.GetRange(_head, _items.Count - _head);
        _items.Clear();
        _head = 0;
        Total = 0;
        return all;
    }

    public CohortFifo Clone()
    {
        var copy = new CohortFifo();
        for (int i = _head; i < _items.Count; i++)
        {
            copy.Enqueue(_items[i]);
        }

        return copy;
    }

    private void Compact()
    {
        if (_head == _items.Count)
        {
            _items.Clear();
            _head = 0;
        }
        else if (_head > 1024 && _head * 2 > _items.Count)
        {
            _items.RemoveRange(0, _head);
            _head = 0;
        }
    }
}
