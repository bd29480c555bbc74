using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Dashboard.Kubernetes;

/// <summary>
/// Folds the health of every reflector into one <see cref="InventoryStatus"/>: Connected when all
/// have listed and none has failed since, Unavailable while any is failing. Every change of data
/// or status is signalled to the inventory's publishing loop.
/// </summary>
internal sealed class ConnectionTracker
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _listed = [];
    private readonly Dictionary<string, string> _failing = new(StringComparer.Ordinal);
    private readonly IReadOnlyCollection<string> _resources;
    private readonly TimeProvider _timeProvider;
    private readonly Action _signal;
    private volatile InventoryStatus _status;
    private int _dirty;

    public ConnectionTracker(IReadOnlyCollection<string> resources, string url, TimeProvider timeProvider, Action signal)
    {
        _resources = resources;
        _timeProvider = timeProvider;
        _signal = signal;
        _status = new InventoryStatus(InventoryState.Connecting, url, null, null);
    }

    public InventoryStatus Status => _status;

    /// <summary>Whether every resource has been listed at least once.</summary>
    public bool AllListed
    {
        get
        {
            lock (_lock)
            {
                return _listed.Count == _resources.Count;
            }
        }
    }

    /// <summary>Takes the "data changed" flag: true once per batch of changes.</summary>
    public bool TakeDirty() => Interlocked.Exchange(ref _dirty, 0) == 1;

    public void DataChanged()
    {
        Volatile.Write(ref _dirty, 1);
        _signal();
    }

    public void SetUrl(string url) => Update(() => _status with { Url = url });

    public void Listed(string resource) => Update(() =>
    {
        _listed.Add(resource);
        _failing.Remove(resource);
        return Evaluate();
    });

    public void Failed(string resource, Exception exception) => Update(() =>
    {
        _failing[resource] = Describe(exception);
        return Evaluate();
    });

    /// <summary>The client could not even be built (a kubeconfig or in-cluster problem).</summary>
    public void ClientFailed(Exception exception) => Update(() =>
        _status with { State = InventoryState.Unavailable, Reason = Describe(exception) });

    /// <summary>A short, human reason: what failed and why, without a stack trace.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        HttpOperationException { Response: { } response } =>
            $"HTTP {(int)response.StatusCode} {response.StatusCode}" + (StatusMessage(response.Content) is { } message ? ": " + message : ""),
        KubernetesException { Status.Message: { Length: > 0 } message } => message,
        _ => exception.Message,
    };

    // The API server explains a refusal in a Status body ("pods is forbidden: User … cannot list …").
    private static string? StatusMessage(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            return KubernetesJson.Deserialize<V1Status>(content)?.Message is { Length: > 0 } message ? message : Truncate(content);
        }
        catch (JsonException)
        {
            return Truncate(content);
        }
    }

    private InventoryStatus Evaluate()
    {
        var now = _timeProvider.GetUtcNow();
        if (_failing.Count > 0)
        {
            var reason = Reason();
            // The data was current until the moment the first failure broke a good connection.
            var lastSynced = _status.State == InventoryState.Connected ? now : _status.LastSyncedAt;
            return _status with { State = InventoryState.Unavailable, Reason = reason, LastSyncedAt = lastSynced };
        }

        return _listed.Count == _resources.Count
            ? _status with { State = InventoryState.Connected, Reason = null, LastSyncedAt = now }
            : _status with { State = InventoryState.Connecting, Reason = null };
    }

    // One line per distinct cause; when every resource fails alike (the API is down) just the cause.
    private string Reason() => string.Join("; ", _failing
        .GroupBy(f => f.Value, StringComparer.Ordinal)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => g.Count() == _resources.Count
            ? g.Key
            : string.Join(", ", g.Select(f => f.Key).Order(StringComparer.Ordinal)) + ": " + g.Key));

    private void Update(Func<InventoryStatus> next)
    {
        bool changed;
        lock (_lock)
        {
            var updated = next();
            changed = updated.State != _status.State || updated.Reason != _status.Reason || updated.Url != _status.Url;
            if (changed)
            {
                _status = updated;
            }
        }

        if (changed)
        {
            _signal();
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text.Trim() : text[..200].Trim() + "…";
}
