using Dashboard.Kubernetes;
using k8s;

namespace Dashboard.Cli.Check;

/// <summary>
/// What checks share during one run: the CLI's clients, and facts an earlier check found for later ones
/// (each fetched once: the inventory, the proxies Prometheus scrapes, where the control plane runs).
/// </summary>
public sealed class CheckContext(CliContext cli, CheckOptions options)
{
    private readonly Dictionary<string, object> _facts = new(StringComparer.Ordinal);
    private Task<InventorySnapshot>? _inventory;
    private Task<IReadOnlyList<ProxyBuild>>? _proxies;

    public CliContext Cli { get; } = cli;

    public CheckOptions Options { get; } = options;

    public IKubernetes Kubernetes => Cli.KubernetesClient();

    /// <summary>The cluster's namespaces, workloads and pods, listed once per run by the dashboard's inventory.</summary>
    public Task<InventorySnapshot> InventoryAsync(CancellationToken cancellationToken) =>
        _inventory ??= LoadInventoryAsync(cancellationToken);

    /// <summary>The proxies Prometheus scrapes now (pod and version), queried once per run.</summary>
    public Task<IReadOnlyList<ProxyBuild>> ProxyBuildsAsync(CancellationToken cancellationToken) =>
        _proxies ??= ControlPlaneLocator.ProxyBuildsAsync(Cli, cancellationToken);

    /// <summary>A fact an earlier check stored under <paramref name="key"/>, or default.</summary>
    public T? Get<T>(string key) => _facts.TryGetValue(key, out var value) && value is T typed ? typed : default;

    public void Set<T>(string key, T value)
        where T : notnull => _facts[key] = value;

    private async Task<InventorySnapshot> LoadInventoryAsync(CancellationToken cancellationToken) =>
        (await Cli.InventoryAsync(cancellationToken).ConfigureAwait(false)).Current;
}
