namespace QueueInference.Pipeline.Tests.Tracing;

/// <summary>
/// An ActivityListener sees every source in the process, so the tests that attach one (or need none attached) run
/// alone, not beside other test classes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingTestGroup
{
    public const string Name = "tracing";
}
