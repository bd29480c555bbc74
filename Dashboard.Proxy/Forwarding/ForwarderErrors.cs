using System.Net.Sockets;
using System.Security.Authentication;
using Dashboard.Proxy.Metrics;
using Yarp.ReverseProxy.Forwarder;

namespace Dashboard.Proxy.Forwarding;

/// <summary>What a failed forward becomes in the <c>error</c> label.</summary>
internal static class ForwarderErrors
{
    public static ProxyError Classify(ForwarderError error, Exception? exception) => error switch
    {
        ForwarderError.RequestTimedOut or ForwarderError.UpgradeActivityTimeout => ProxyError.Timeout,
        ForwarderError.Request when Refused(exception) => ProxyError.ConnectionRefused,
        ForwarderError.Request when Has<AuthenticationException>(exception) => ProxyError.TlsHandshake,
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled
            or ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient
            or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeResponseCanceled
            or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseClient => ProxyError.Canceled,
        ForwarderError.ResponseHeaders or ForwarderError.ResponseBodyDestination or ForwarderError.RequestBodyDestination
            or ForwarderError.UpgradeRequestDestination or ForwarderError.UpgradeResponseDestination => ProxyError.Reset,
        ForwarderError.NoAvailableDestinations => ProxyError.NoEndpoints,
        _ => ProxyError.Upstream,
    };

    public static bool IsRequestBody(ForwarderError error) =>
        error is ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient or ForwarderError.RequestBodyDestination;

    private static bool Refused(Exception? exception) => Has<SocketException>(exception, s => s.SocketErrorCode == SocketError.ConnectionRefused);

    private static bool Has<T>(Exception? exception, Func<T, bool>? matches = null) where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found && (matches is null || matches(found)))
            {
                return true;
            }
        }

        return false;
    }
}
