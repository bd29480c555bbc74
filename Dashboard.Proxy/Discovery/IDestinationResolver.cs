using System.Net;

namespace Dashboard.Proxy.Discovery;

/// <summary>Outbound destination discovery: reads a cached view, never queries per request.</summary>
public interface IDestinationResolver
{
    /// <summary>True once the first full view is loaded (or discovery is not configured).</summary>
    bool IsSynced { get; }

    /// <summary>
    /// The service an authority names, or null when it names none that discovery knows: the caller then
    /// forwards by DNS without destination labels.
    /// </summary>
    ResolvedService? Resolve(string authority);

    /// <summary>
    /// The destination an address names (a redirected connection's original destination): a Service's ClusterIP and
    /// port, or a pod's IP; null when discovery knows neither: the caller then forwards to the address unchanged.
    /// </summary>
    ResolvedService? Resolve(IPEndPoint destination);

    /// <summary>
    /// <see cref="Resolve(string)"/> for a resolver that may learn of a destination only when first asked (the destination
    /// service's client): waits, bounded, for what it learns rather than answering unknown at once.
    /// </summary>
    ValueTask<ResolvedService?> ResolveAsync(string authority, CancellationToken cancellationToken) => ValueTask.FromResult(Resolve(authority));

    /// <summary><see cref="Resolve(IPEndPoint)"/>, waiting as <see cref="ResolveAsync(string, CancellationToken)"/> does.</summary>
    ValueTask<ResolvedService?> ResolveAsync(IPEndPoint destination, CancellationToken cancellationToken) => ValueTask.FromResult(Resolve(destination));
}

/// <summary>No discovery: every authority is forwarded by DNS.</summary>
public sealed class DnsOnlyResolver : IDestinationResolver
{
    public static DnsOnlyResolver Instance { get; } = new();

    public bool IsSynced => true;

    public ResolvedService? Resolve(string authority) => null;

    public ResolvedService? Resolve(IPEndPoint destination) => null;
}
