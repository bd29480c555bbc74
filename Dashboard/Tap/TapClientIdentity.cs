using Dashboard.Configuration;
using Dashboard.Contracts.Identity;

namespace Dashboard.Tap;

/// <summary>
/// The dashboard's workload identity when one is configured (<see cref="ConfigKeys.IdentityTrustAnchors"/>): a
/// certificate obtained from the identity endpoint the way a proxy obtains its own (a signing request proved by the
/// ServiceAccount token) and renewed before it expires, presented to the proxies' tap ports. Runs with the app.
/// </summary>
public sealed class TapClientIdentity : IHostedService, IAsyncDisposable
{
    private readonly IdentityServiceClient? _client;

    public TapClientIdentity(DashboardSettings settings, TimeProvider time, ILogger<WorkloadIdentity> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Identity is { } options)
        {
            _client = new IdentityServiceClient(options);
            Identity = new WorkloadIdentity(options.LocalName, options.TrustAnchors, _client, time, logger);
        }
    }

    /// <summary>The identity, or null when none is configured (tap then uses the token).</summary>
    public WorkloadIdentity? Identity { get; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Identity?.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (Identity is not null)
        {
            await Identity.DisposeAsync().ConfigureAwait(false);
        }

        _client?.Dispose();
    }
}
