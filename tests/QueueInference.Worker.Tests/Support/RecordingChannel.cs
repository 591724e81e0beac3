using System.Collections.Concurrent;
using System.Reflection;
using RabbitMQ.Client;

namespace QueueInference.Worker.Tests.Support;

/// <summary>
/// An <see cref="IChannel"/> that records the acks and nacks sent through it and does nothing else: every other
/// member returns its type's default (a completed ValueTask for the async ones).
/// </summary>
public class RecordingChannel : DispatchProxy
{
    public ConcurrentQueue<(string Method, ulong DeliveryTag, bool Multiple)> Sent { get; } = new();

    public static (IChannel Channel, RecordingChannel Recorder) Create()
    {
        IChannel channel = DispatchProxy.Create<IChannel, RecordingChannel>();
        return (channel, (RecordingChannel)(object)channel);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod?.Name is "BasicAckAsync" or "BasicNackAsync")
        {
            Sent.Enqueue((targetMethod.Name, (ulong)args![0]!, (bool)args[1]!));
        }

        Type? returns = targetMethod?.ReturnType;
        return returns is null || returns == typeof(void) || !returns.IsValueType ? null : Activator.CreateInstance(returns);
    }
}
