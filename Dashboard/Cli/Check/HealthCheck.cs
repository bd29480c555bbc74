namespace Dashboard.Cli.Check;

/// <summary>
/// One line of <c>check</c>'s output. <see cref="RunAsync"/> returns null when the check does not apply; an
/// exception it throws is a failure whose hint is the exception's message.
/// </summary>
/// <param name="Description">What holds when the check passes, as the seed words it: "can query the Kubernetes API".</param>
public sealed record HealthCheck(string Description, Func<CheckContext, CancellationToken, Task<CheckResult?>> RunAsync)
{
    /// <summary>When it fails, nothing after it can be checked (no client, no API): the run stops.</summary>
    public bool Fatal { get; init; }
}

/// <summary>Checks printed under one prefix, such as <c>kubernetes-api</c>.</summary>
public sealed record CheckCategory(string Name, IReadOnlyList<HealthCheck> Checks);

/// <param name="Pre">Before <c>install</c>: is the cluster ready for the control plane.</param>
/// <param name="Proxy">Also the data plane: every meshed pod's proxy.</param>
/// <param name="Namespace">The data plane checks' namespace; null for all.</param>
public sealed record CheckOptions(bool Pre, bool Proxy, string? Namespace);

/// <summary>
/// A source of check categories; <see cref="CheckCatalog.Providers"/> lists them in the order they run. Each
/// decides from the <see cref="CheckOptions"/> which of its categories apply.
/// </summary>
public interface ICheckProvider
{
    IEnumerable<CheckCategory> Categories(CheckOptions options);
}
