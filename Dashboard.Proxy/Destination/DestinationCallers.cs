using Dashboard.Contracts.Destination;
using Dashboard.Contracts.Identity;
using Grpc.Core;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Dashboard.Proxy.Destination;

/// <summary>
/// Who may ask the destination service, when it serves mTLS: a caller whose client certificate proves a mesh identity
/// (<see cref="PeerVerifier"/>, checked at the handshake) and whose request speaks for that identity only: its
/// <c>Caller.identity</c> is the certificate's, and its <c>Caller.namespace</c> the namespace in it. Without an identity
/// the service authenticates nobody and every caller is let through.
/// </summary>
internal sealed partial class DestinationCallers(WorkloadIdentity? identity, DestinationMetrics metrics, ILogger<DestinationCallers> logger)
{
    private const string PeerItem = "Dashboard.Destination.Peer";

    /// <summary>
    /// Remembers the outcome of <paramref name="connection"/>'s handshake for <see cref="Authorize"/> to apply to each of its
    /// requests; the handshake goes on (true) whatever the verdict, so that a refused caller gets the reason in its gRPC status.
    /// </summary>
    public static bool Remember(ConnectionContext connection, PeerVerdict verdict)
    {
        connection.Items[PeerItem] = verdict;
        return true;
    }

    /// <exception cref="RpcException"><c>Unauthenticated</c> without a valid certificate, <c>PermissionDenied</c> for a request that speaks for someone else.</exception>
    public void Authorize(GetDestination request, ServerCallContext context)
    {
        if (identity is null)
        {
            return;
        }

        var http = context.GetHttpContext();
        var verdict = http.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(PeerItem, out var item) == true && item is PeerVerdict remembered
            ? remembered
            : PeerVerdict.Refused(PeerRefusal.NoCertificate, "presented no certificate: mTLS needs the caller's workload certificate");
        var remote = http.Connection.RemoteIpAddress + ":" + http.Connection.RemotePort;
        if (verdict.Refusal is { } refusal)
        {
            Refuse(remote, refusal.Error, StatusCode.Unauthenticated,
                $"{refusal.Message}; the destination service answers only proxies with a workload certificate under the mesh's trust anchors");
        }

        var certified = verdict.Identity!;
        var certifiedNamespace = IdentityNames.TryParse(certified, out _, out var ns, out _) ? ns : "";
        var caller = request.Caller ?? new Caller();
        if (!string.Equals(caller.Identity, certified, StringComparison.Ordinal))
        {
            Refuse(remote, "caller_identity_mismatch", StatusCode.PermissionDenied,
                $"Caller.identity '{caller.Identity}' is not the identity of the client certificate, {certified}");
        }

        if (!string.Equals(caller.Namespace, certifiedNamespace, StringComparison.Ordinal))
        {
            Refuse(remote, "caller_namespace_mismatch", StatusCode.PermissionDenied,
                $"Caller.namespace '{caller.Namespace}' is not the namespace of the client certificate's identity {certified} ({certifiedNamespace})");
        }
    }

    private void Refuse(string remote, string reason, StatusCode status, string message)
    {
        metrics.Refused(reason);
        LogRefused(remote, status, message);
        throw new RpcException(new Status(status, message));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a destination request from {Remote} with {Status}: {Reason}")]
    private partial void LogRefused(string remote, StatusCode status, string reason);
}
