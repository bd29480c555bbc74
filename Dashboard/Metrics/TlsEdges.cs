using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Metrics;
using Dashboard.Model;

namespace Dashboard.Metrics;

/// <summary>
/// Assembles a resource's TLS edges from the answers of <see cref="PromQl.TlsEdges"/>: its destinations with the
/// identities they proved, its meshed callers with the identities they presented (matched to the caller by the
/// ServiceAccount and namespace an identity names), and the plaintext requests no meshed caller accounts for,
/// which came from outside the mesh.
/// </summary>
public static class TlsEdges
{
    /// <param name="resource">The resource whose edges these are.</param>
    /// <param name="serviceAccountsOf">The ServiceAccounts a resource's pods run as (from the inventory; empty when unknown).</param>
    public static IReadOnlyList<TlsEdge> Assemble(
        ResourceKey resource, IReadOnlyList<PromSample> outgoing, IReadOnlyList<PromSample> incoming, IReadOnlyList<PromSample> seen,
        Func<ResourceKey, IReadOnlyCollection<string>> serviceAccountsOf)
    {
        ArgumentNullException.ThrowIfNull(serviceAccountsOf);
        var kind = resource.Kind;
        var edges = new List<TlsEdge>();
        var presented = seen.Where(s => s.Label(LabelNames.Tls) == LabelNames.Values.TlsTrue)
            .Select(s => s.Label(LabelNames.ClientId)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

        var plaintextFromCallers = 0.0;
        foreach (var (sample, requests) in Moved(incoming))
        {
            var caller = StatRows.Key(sample, kind, LabelNames.Namespace, kind.PromLabel());
            var edge = Edge(caller, resource, sample, requests) with { ClientId = caller is { } c ? IdentityOf(c, presented, serviceAccountsOf) : null };
            plaintextFromCallers += edge.Secured ? 0 : requests;
            edges.Add(edge);
        }

        // The inbound proxies count every plaintext request; those the meshed callers did not send came from outside the mesh.
        foreach (var group in Moved(seen).Where(m => m.Sample.Label(LabelNames.Tls) != LabelNames.Values.TlsTrue
                     && m.Sample.Label(LabelNames.NoTlsReason) != LabelNames.Values.Loopback)
                     .GroupBy(m => (Tls: m.Sample.Label(LabelNames.Tls) ?? "", Reason: m.Sample.Label(LabelNames.NoTlsReason))))
        {
            var unaccounted = group.Sum(m => m.Requests) - plaintextFromCallers;
            plaintextFromCallers = Math.Max(0, -unaccounted);
            if (unaccounted >= 0.5)
            {
                edges.Add(new TlsEdge(null, resource, null, null, group.Key.Tls, group.Key.Reason, unaccounted));
            }
        }

        var own = serviceAccountsOf(resource);
        foreach (var (sample, requests) in Moved(outgoing))
        {
            var edge = Edge(resource, StatRows.Key(sample, kind, LabelNames.DstNamespace, kind.DstPromLabel()), sample, requests);
            edges.Add(edge.Secured && own.Count > 0 && IdentityNames.TrustDomainOf(edge.ServerId ?? "") is { } domain
                ? edge with { ClientId = string.Join(", ", own.Select(account => IdentityNames.Format(account, resource.Namespace, domain))) }
                : edge);
        }

        return edges;
    }

    private static TlsEdge Edge(ResourceKey? source, ResourceKey? destination, PromSample sample, double requests)
    {
        var tls = sample.Label(LabelNames.Tls) ?? "";
        var secured = tls == LabelNames.Values.TlsTrue;
        return new TlsEdge(source, destination, null, secured ? NullIfEmpty(sample.Label(LabelNames.ServerId)) : null, tls,
            secured ? null : NullIfEmpty(sample.Label(LabelNames.NoTlsReason)), requests);
    }

    /// <summary>The identity a caller presented: one of those the inbound proxies saw, naming one of the caller's ServiceAccounts.</summary>
    private static string? IdentityOf(ResourceKey caller, List<string> presented, Func<ResourceKey, IReadOnlyCollection<string>> serviceAccountsOf)
    {
        var accounts = serviceAccountsOf(caller);
        var matches = presented.Where(id => IdentityNames.TryParse(id, out var account, out var ns, out _)
            && ns == caller.Namespace && accounts.Contains(account)).ToList();
        return matches.Count == 0 ? null : string.Join(", ", matches);
    }

    private static IEnumerable<(PromSample Sample, double Requests)> Moved(IReadOnlyList<PromSample> answer) =>
        answer.Where(s => s.Value is { } v && double.IsFinite(v) && v > 0).Select(s => (s, s.Value!.Value));

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
