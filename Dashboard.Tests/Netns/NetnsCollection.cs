namespace Dashboard.Tests.Netns;

/// <summary>
/// The tests that build clusters in network namespaces run one class at a time, after the parallel tests: full runs with
/// other clusters being built at the same moment saw a pod's first connections go unanswered (not seen run alone).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NetnsCollection
{
    public const string Name = "network namespaces";
}
