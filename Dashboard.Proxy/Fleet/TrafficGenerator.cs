using Dashboard.Proxy.Fleet.Manifest;

namespace Dashboard.Proxy.Fleet;

/// <summary>
/// Sends one manifest traffic entry's requests at its rate, from its client pods (or from outside the mesh),
/// with its latency spikes, recording what the client observed.
/// </summary>
public sealed class TrafficGenerator(TrafficSpec spec, FleetTopology topology, FleetCaller caller, GroundTruth truth)
{
    /// <summary>Requests of one generator in flight at once; beyond it, ticks are skipped (and the rate drops).</summary>
    private const int MaxInFlight = 64;
    /// <summary>Requests sent and not yet answered: bounds the generator, and is awaited when it stops.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, bool> _pending = new();
    private int _next;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var time = truth.Time;
        var clients = ClientPods();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / spec.Rps), time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_pending.Count >= MaxInFlight)
                {
                    continue;
                }

                var from = clients is null ? null : clients[(int)((uint)_next++ % (uint)clients.Count)];
                var extra = SpikeActive(truth.SinceStart) ? spec.Spikes!.ExtraLatencyMs : 0;
                var send = SendAsync(from, extra);
                _pending[send] = true;
                _ = send.ContinueWith(t => _pending.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException)
        {
        }

        // Requests already sent finish, so the ground truth and the proxies' counters agree once traffic stops.
        await Task.WhenAll(_pending.Keys).ConfigureAwait(false);
    }

    /// <summary>Whether a spike window is open at this time since the fleet started.</summary>
    public bool SpikeActive(TimeSpan sinceStart) =>
        spec.Spikes is { } s && FleetSchedule.Active(sinceStart, s.EverySeconds, s.DurationSeconds);

    private List<FleetPod>? ClientPods()
    {
        if (spec.From == TrafficSpec.External)
        {
            return null;
        }

        var parts = spec.From.Split('/');
        return [.. topology.ServicePods(parts[0], parts[1]).Where(p => p.Runs)];
    }

    private async Task SendAsync(FleetPod? from, double extra)
    {
        var (status, latency) = from is { Ready: false }
            ? (0, 0)
            : await caller.CallAsync(from, spec.To, "default", spec.Method, spec.Path, extra, CancellationToken.None).ConfigureAwait(false);
        truth.RecordClient(spec.Name, status, latency);
    }
}
