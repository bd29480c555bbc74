using System.Threading.Channels;
using Dashboard.Contracts.Tap;
using Microsoft.AspNetCore.SignalR;

namespace Dashboard.Proxy.Tap;

/// <summary>The tap hub: <c>Watch(TapRequest)</c> streams the proxy's matching request events.</summary>
internal sealed class TapHub : Hub
{
    public const double MaxRpsLimit = 100_000;

    public ChannelReader<TapEvent> Watch(TapRequest request, CancellationToken cancellationToken)
    {
        // The tap listener puts its proxy's broker on each connection it accepts.
        var broker = Context.GetHttpContext()?.Features.Get<TapBroker>()
            ?? throw new HubException("this connection did not arrive on a proxy's tap listener");
        if (Validate(request) is { } problem)
        {
            throw new HubException(problem);
        }

        var subscription = broker.Subscribe(request);
        cancellationToken.Register(subscription.Dispose);
        return subscription.Reader;
    }

    internal static string? Validate(TapRequest? request) => request switch
    {
        null => "tap request is missing",
        { MaxRps: <= 0 or > MaxRpsLimit or double.NaN } => $"maxRps {request.MaxRps} is out of range; expected more than 0 and at most {MaxRpsLimit}",
        { Direction: { Length: > 0 } d } when d is not ("inbound" or "outbound") => $"direction '{d}' is not valid; expected inbound, outbound or empty",
        { PathPrefix: { Length: > 0 } p } when p[0] != '/' => $"pathPrefix '{p}' is not valid; expected a path starting with /",
        _ => null,
    };
}
