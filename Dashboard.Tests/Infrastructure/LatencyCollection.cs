namespace Dashboard.Tests.Infrastructure;

/// <summary>
/// Tests that hold measured latencies against the truth run alone: with the rest of the suite sharing two cores,
/// requests queue before the app's own clock starts, which the proxy (rightly) counts and the truth cannot.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LatencyCollection
{
    public const string Name = "latency";
}
