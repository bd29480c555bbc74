using Dashboard.Contracts.Destination;
using Dashboard.Proxy.Discovery;

namespace Dashboard.Proxy.Destination;

/// <summary>
/// What one subscriber of the destination service holds, and the updates that bring it to the current endpoint set:
/// the whole set first, then only what changed (so a subscriber's traffic is one message per change, not the set).
/// </summary>
internal sealed class EndpointSetTracker
{
    private readonly Dictionary<string, DestinationEndpoint> _sent = new(StringComparer.Ordinal);
    // Which NoEndpoints the subscriber was last told (exists or not); null when it holds endpoints, or was told nothing yet.
    private bool? _empty;
    private bool _started;

    /// <summary>The updates from what was sent to <paramref name="current"/> (null: discovery knows no such destination).</summary>
    public IReadOnlyList<Update> Next(ResolvedService? current)
    {
        var target = new Dictionary<string, DestinationEndpoint>(StringComparer.Ordinal);
        foreach (var endpoint in current?.Endpoints ?? [])
        {
            target[endpoint.Address] = EndpointMessages.ToMessage(endpoint, current!.Opaque);
        }

        var updates = new List<Update>();
        if (target.Count == 0)
        {
            var exists = current is not null;
            if (!_started || _empty != exists)
            {
                // One message empties the set, however many endpoints it held.
                updates.Add(new Update { NoEndpoints = new NoEndpoints { Exists = exists, Namespace = current?.Namespace ?? "", Name = current?.Name ?? "" } });
            }

            _sent.Clear();
            _empty = exists;
            _started = true;
            return updates;
        }

        var removed = _sent.Keys.Where(a => !target.ContainsKey(a)).ToList();
        if (removed.Count > 0)
        {
            updates.Add(new Update { Remove = new Remove { Addresses = { removed } } });
        }

        var added = target.Values.Where(e => !_sent.TryGetValue(e.Address, out var before) || !before.Equals(e)).ToList();
        if (added.Count > 0)
        {
            updates.Add(new Update { Add = new Add { Endpoints = { added } } });
        }

        _sent.Clear();
        foreach (var (address, endpoint) in target)
        {
            _sent[address] = endpoint;
        }

        _empty = null;
        _started = true;
        return updates;
    }
}
