namespace Dashboard.Tests.Packaging;

/// <summary>
/// Publishing both parts takes the machine's two cores for a minute or more: it runs alone, so that it starves
/// no test that waits on a page or a measured latency.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PublishCollection
{
    public const string Name = "publish";
}
