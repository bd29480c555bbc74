using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Dashboard.Services;

/// <summary>
/// Marks a circuit's page unseen while its connection is down: the server keeps a disconnected circuit for minutes
/// (in case the browser reconnects), and its tables would otherwise go on refreshing for nobody.
/// </summary>
public sealed class CircuitVisibility(PageVisibility visibility) : CircuitHandler
{
    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        visibility.SetConnected(false);
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        visibility.SetConnected(true);
        return Task.CompletedTask;
    }
}
