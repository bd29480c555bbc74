using System.Runtime.CompilerServices;
using Dashboard.Contracts.Destination;
using Dashboard.Proxy.Discovery;

namespace Dashboard.Proxy.Destination;

/// <summary>
/// What one subscriber of the destination service holds, and the updates that bring it to the current endpoint set:
/// the whole set first, then only what changed (so a subscriber's traffic is one message per change, not the set).
/// </summary>
/// <remarks>
/// The endpoint messages of a set are built once per <see cref="ResolvedService"/> (a rebuild of the view keeps the
/// object of a set that did not change, and makes a new one for a set that did) and shared, never changed, by every
/// subscriber of it: a subscriber holds a reference to the set it was last sent, not a copy.
/// </remarks>
internal sealed class EndpointSetTracker
{
    private static readonly ConditionalWeakTable<ResolvedService, Dictionary<string, DestinationEndpoint>> Messages = [];
    private static readonly Dictionary<string, DestinationEndpoint> None = new(StringComparer.Ordinal);

    private Dictionary<string, DestinationEndpoint> _sent = None;
    // Which NoEndpoints the subscriber was last told (exists or not); null when it holds endpoints, or was told nothing yet.
    private bool? _empty;
    private bool _started;

    /// <summary>The updates from what was sent to <paramref name="current"/> (null: discovery knows no such destination).</summary>
    public IReadOnlyList<Update> Next(ResolvedService? current)
    {
        var target = current is null ? None : Messages.GetValue(current, static service => Build(service));
        var updates = new List<Update>();
        if (target.Count == 0)
        {
            var exists = current is not null;
            if (!_started || _empty != exists)
            {
                // One message empties the set, however many endpoints it held.
                updates.Add(new Update { NoEndpoints = new NoEndpoints { Exists = exists, Namespace = current?.Namespace ?? "", Name = current?.Name ?? "" } });
            }

            (_sent, _empty, _started) = (None, exists, true);
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

        (_sent, _empty, _started) = (target, null, true);
        return updates;
    }

    /// <summary>The messages of a set by address; read-only once built, as it is shared.</summary>
    private static Dictionary<string, DestinationEndpoint> Build(ResolvedService service)
    {
        var messages = new Dictionary<string, DestinationEndpoint>(service.Endpoints.Count, StringComparer.Ordinal);
        foreach (var endpoint in service.Endpoints)
        {
            messages[endpoint.Address] = EndpointMessages.ToMessage(endpoint, service.Opaque);
        }

        return messages;
    }
}
