using System.Net;
using Dashboard.Kubernetes;
using Dashboard.Model;
using Dashboard.Services;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Dashboard.Cli.Stat;

/// <summary>
/// Runs a <see cref="StatRequest"/> with the dashboard's own code: rows and MESHED from its Kubernetes inventory,
/// numbers from its <see cref="Metrics.MetricsService"/> (the same four queries per table), so a stat and the
/// dashboard's page agree for the same window.
/// </summary>
public static class StatQuery
{
    public static async Task<IReadOnlyList<StatResult>> RunAsync(CliContext context, StatRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var inventory = await context.InventoryAsync(cancellationToken).ConfigureAwait(false);
        var tables = new StatTableService(inventory, context.Metrics, context.Time);
        var results = new List<StatResult>();
        foreach (var target in request.Targets)
        {
            var scope = target.Kind == WorkloadKind.Namespace ? null : request.Namespace;
            var (rows, note) = await RowsAsync(tables, inventory.Current, target.Kind, scope, request, request.At, cancellationToken).ConfigureAwait(false);
            if (request.Compare is { } compare)
            {
                var end = compare.EndFor(request.At ?? context.Time.GetUtcNow(), request.Window);
                var (then, _) = await RowsAsync(tables, inventory.Current, target.Kind, scope, request, end, cancellationToken).ConfigureAwait(false);
                rows = StatTableComparison.Attach(rows, then, end);
            }

            var missing = target.Names.Where(n => !StatTableService.Rows(inventory.Current, target.Kind, scope).Any(r => r.Name == n)).ToList();
            if (target.Names.Count > 0)
            {
                rows = [.. rows.Where(r => target.Names.Contains(r.Name, StringComparer.Ordinal))];
            }
            else if (!request.Unmeshed)
            {
                rows = [.. rows.Where(r => r.IsMeshed || r.Stats is not null)];
            }

            if (request.Selector is { } selector)
            {
                var selected = await SelectAsync(context, target.Kind, scope, selector, cancellationToken).ConfigureAwait(false);
                rows = [.. rows.Where(r => selected.Contains(r.Key))];
            }

            var ordered = StatSort.Apply(rows, scope is null ? StatSort.Namespace : StatSort.Name, descending: false).ToList();
            // Said of the rows shown, not of the whole table: "legacy has no meshed pod", even when others have traffic.
            var reason = request.Edge is null && ordered.Count > 0 ? StatTableService.EmptyReason(ordered, target.Kind, scope, request.Window) : note;
            results.Add(new StatResult(target.Kind, ordered, missing, ordered.Any(r => r.Stats is not null) ? null : reason));
        }

        return results;
    }

    /// <summary>The rows of one kind over the window ending at <paramref name="at"/> (now when null).</summary>
    private static async Task<(IReadOnlyList<StatTableRow> Rows, string? Note)> RowsAsync(
        StatTableService tables, InventorySnapshot snapshot, WorkloadKind kind, string? scope, StatRequest request, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        if (request.Edge is { } edge)
        {
            return await EdgeRowsAsync(tables, snapshot, kind, scope, edge, request.Window, at, cancellationToken).ConfigureAwait(false);
        }

        var table = await tables.LoadAsync(kind, scope, request.Window, at, cancellationToken).ConfigureAwait(false);
        return (table.Rows, table.EmptyReason);
    }

    /// <summary>
    /// The neighbours of the edge's resource that exchanged traffic with it, with MESHED from the inventory; for its callers,
    /// also its unmeshed clients (the dashboard's callers table).
    /// </summary>
    private static async Task<(IReadOnlyList<StatTableRow>, string?)> EdgeRowsAsync(
        StatTableService tables, InventorySnapshot snapshot, WorkloadKind kind, string? scope, StatEdge edge, StatWindow window, DateTimeOffset? at,
        CancellationToken cancellationToken)
    {
        if (edge.Resource.Kind != kind)
        {
            throw CommandException.Usage($"{edge}: the rows and the resource must be of the same kind; use {edge.Resource.Kind.SingularName()}/NAME with stat {kind.SingularName()}");
        }

        if (!snapshot.Contains(edge.Resource))
        {
            throw CommandException.Failed($"{kind.SingularName()} \"{edge.Resource.Name}\" not found in namespace \"{edge.Resource.Namespace}\"");
        }

        var relation = edge.Direction == EdgeDirection.Inbound ? TableRelation.Callers : TableRelation.Destinations;
        var table = await tables.LoadAsync(TableScope.Related(edge.Resource, relation), window, at, cancellationToken).ConfigureAwait(false);
        var rows = table.Rows.Where(r => scope is null || r.Namespace == scope || r.IsUnmeshedClients).ToList();
        return (rows, $"No traffic {edge} in the last {window}.");
    }

    /// <summary>The resources of a kind the label selector picks, asked of the API server (which knows the selector syntax).</summary>
    private static async Task<HashSet<ResourceKey>> SelectAsync(CliContext context, WorkloadKind kind, string? scope, string selector, CancellationToken cancellationToken)
    {
        var client = context.KubernetesClient();
        try
        {
            IEnumerable<(string? Namespace, string Name)> items = kind switch
            {
                WorkloadKind.Namespace => Names(await client.CoreV1.ListNamespaceAsync(labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)),
                WorkloadKind.Pod => Names(scope is null
                    ? await client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)
                    : await client.CoreV1.ListNamespacedPodAsync(scope, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)),
                WorkloadKind.Deployment => Names(scope is null
                    ? await client.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)
                    : await client.AppsV1.ListNamespacedDeploymentAsync(scope, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)),
                WorkloadKind.StatefulSet => Names(scope is null
                    ? await client.AppsV1.ListStatefulSetForAllNamespacesAsync(labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)
                    : await client.AppsV1.ListNamespacedStatefulSetAsync(scope, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)),
                WorkloadKind.DaemonSet => Names(scope is null
                    ? await client.AppsV1.ListDaemonSetForAllNamespacesAsync(labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)
                    : await client.AppsV1.ListNamespacedDaemonSetAsync(scope, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)),
                _ => Names(scope is null
                    ? await client.BatchV1.ListJobForAllNamespacesAsync(labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)
                    : await client.BatchV1.ListNamespacedJobAsync(scope, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)),
            };
            return [.. items.Select(i => kind == WorkloadKind.Namespace ? ResourceKey.ForNamespace(i.Name) : new ResourceKey(kind, i.Namespace ?? "", i.Name))];
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.BadRequest)
        {
            throw CommandException.Usage($"-l '{selector}': {ConnectionTracker.Describe(e)}");
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            throw CommandException.Failed($"cannot list {kind.UrlSegment()} with -l '{selector}' from {context.Kubernetes}: {ConnectionTracker.Describe(e)}");
        }
    }

    private static IEnumerable<(string? Namespace, string Name)> Names<T>(IItems<T> list)
        where T : IMetadata<V1ObjectMeta> =>
        list.Items.Select(i => ((string?)i.Metadata.NamespaceProperty, i.Metadata.Name));
}
