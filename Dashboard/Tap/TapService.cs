using Dashboard.Configuration;
using Dashboard.Kubernetes;

namespace Dashboard.Tap;

/// <summary>Starts tap sessions for the dashboard: targets from the Kubernetes inventory, the credential from configuration (its identity, else the token).</summary>
public interface ITapService
{
    TapAvailability Availability { get; }

    /// <summary>Resolves the query's pods and starts streaming from them; dispose the session to stop.</summary>
    /// <exception cref="TapQueryException">Nothing to tap: the resource does not exist or has no meshed running pod.</exception>
    /// <exception cref="InvalidOperationException">Tap is disabled (<see cref="TapAvailability.Disabled"/>).</exception>
    TapSession Start(TapQuery query);
}

public sealed class TapService(IKubernetesInventory inventory, DashboardSettings settings, TapAvailability availability,
    TapClientIdentity clientIdentity, TimeProvider time, ILogger<TapSession> logger) : ITapService
{
    public TapAvailability Availability => availability;

    public TapSession Start(TapQuery query)
    {
        if (availability.Disabled is { } disabled)
        {
            throw new InvalidOperationException(disabled);
        }

        var targets = TapTargetResolver.Resolve(inventory.Current, query);
        var session = new TapSession(query, targets, new TapConnectionOptions(settings.TapToken) { Identity = clientIdentity.Identity }, time, logger);
        session.PodChanged += status =>
        {
            if (status is { State: TapPodState.Refused, Denied: true, Reason: { } reason })
            {
                availability.ReportRefused(reason);
            }
            else if (status.State == TapPodState.Streaming)
            {
                availability.ReportAccepted();
            }
        };
        session.Start();
        return session;
    }
}
