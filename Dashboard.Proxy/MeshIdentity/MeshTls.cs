using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Proxy;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Dashboard.Proxy.Metrics;
using Microsoft.AspNetCore.Connections;

namespace Dashboard.Proxy.MeshIdentity;

/// <summary>
/// The TLS of one proxy: the server side of its inbound port (mTLS: a client certificate chaining to the trust
/// anchor is required) and the client side of its connections to meshed destinations (the server must prove the
/// identity discovery expects). TLS 1.3 only, no session resumption (every connection proves its certificate), and
/// a refusal is logged with its reason and counted in the tcp error counters. On the tap port the caller must be
/// <paramref name="tapClient"/>; there the handshake completes whatever the certificate, so that the tap listener can
/// answer a refusal with its reason in words (<see cref="Tap.TapAuthentication"/>) instead of a bare TLS alert.
/// </summary>
internal sealed partial class MeshTls(WorkloadIdentity identity, ProxyMetrics metrics, TimeProvider time, ILogger logger, string? tapClient = null)
{
    /// <summary>The ALPN offers of outbound connections: HTTP/2, HTTP/1.1, or none for opaque TCP (the server detects it).</summary>
    public static readonly List<SslApplicationProtocol> Http2 = [SslApplicationProtocol.Http2];
    public static readonly List<SslApplicationProtocol> Http11 = [SslApplicationProtocol.Http11];

    public WorkloadIdentity Identity => identity;

    /// <summary>The options of one inbound (or tap) handshake; its outcome lands in <paramref name="handshake"/>.</summary>
    public SslServerAuthenticationOptions ServerOptions(ConnectionContext connection, InboundHandshake handshake)
    {
        if (identity.Current is not { } current)
        {
            handshake.Refuse(PeerRefusal.Handshake, "this proxy has no workload certificate yet");
            Refused(connection.RemoteEndPoint, PeerRefusal.Handshake, "this proxy has no workload certificate yet");
            throw new AuthenticationException("no workload certificate yet");
        }

        return identity.ServerOptions(current, verdict =>
        {
            if (handshake.IsTap)
            {
                handshake.TapRefusal = TapRefusal(verdict);
                if (handshake.TapRefusal is { } reason)
                {
                    LogTapRefused(connection.RemoteEndPoint?.ToString() ?? "?", reason);
                }

                return true;
            }

            if (verdict.Refusal is { } refusal)
            {
                handshake.Refuse(refusal.Error, refusal.Message);
                Refused(connection.RemoteEndPoint, refusal.Error, refusal.Message);
                return false;
            }

            handshake.Peer = metrics.Client(verdict.Identity!);
            return true;
        });
    }

    private string? TapRefusal(PeerVerdict verdict) => verdict switch
    {
        { Refusal: { } refusal } => $"{refusal.Message}; tap needs the certificate of the tap client {tapClient} ({ProxyEnvironment.TapServiceName})",
        { Identity: var caller } when !string.Equals(caller, tapClient, StringComparison.Ordinal) =>
            $"identity {caller} is not the tap client {tapClient} ({ProxyEnvironment.TapServiceName})",
        _ => null,
    };

    /// <summary>A handshake that failed before any certificate was judged (Kestrel only logs it at Debug).</summary>
    public void HandshakeFailed(EndPoint? remote) =>
        Refused(remote, PeerRefusal.Handshake, "the TLS handshake failed before a certificate was checked (the mesh needs TLS 1.3 with a client certificate)");

    /// <summary>Secures a new outbound connection toward <paramref name="serverIdentity"/> at <paramref name="address"/>.</summary>
    /// <param name="applicationProtocols"><see cref="Http2"/>, <see cref="Http11"/>, or null to offer none (opaque TCP).</param>
    /// <exception cref="AuthenticationException">The handshake failed; the message says why (logged and counted already).</exception>
    public async ValueTask<Stream> ConnectAsync(Stream transport, string address, string serverIdentity, List<SslApplicationProtocol>? applicationProtocols,
        CancellationToken cancellationToken)
    {
        (string Error, string Message)? refusal = null;
        if (identity.Current is not { } current)
        {
            refusal = (PeerRefusal.Handshake, "this proxy has no workload certificate yet");
        }
        else
        {
            var ssl = new SslStream(transport, leaveInnerStreamOpen: false);
            var options = new SslClientAuthenticationOptions
            {
                // SNI names the identity we expect, as linkerd2-proxy's does.
                TargetHost = serverIdentity,
                ClientCertificateContext = current.Context,
                EnabledSslProtocols = SslProtocols.Tls13,
                AllowTlsResume = false,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                ApplicationProtocols = applicationProtocols,
                CertificateChainPolicy = identity.Verifier.Policy(current.Intermediates),
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                {
                    // The identity is compared below, with a clearer message than a host name mismatch.
                    var verdict = identity.Verifier.Evaluate(certificate, chain, errors & ~SslPolicyErrors.RemoteCertificateNameMismatch,
                        serverIdentity, time.GetUtcNow());
                    refusal = verdict.Refusal;
                    return refusal is null;
                },
            };
            try
            {
                await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
                return ssl;
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException)
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
                refusal ??= (PeerRefusal.Handshake, ex.Message);
            }
        }

        await transport.DisposeAsync().ConfigureAwait(false);
        metrics.OutboundConnectionFailed(address, refusal.Value.Error);
        LogOutboundRefused(address, serverIdentity, refusal.Value.Error, refusal.Value.Message);
        throw new AuthenticationException($"mTLS to {address} ({serverIdentity}) failed: {refusal.Value.Message}");
    }

    private void Refused(EndPoint? remote, string error, string message)
    {
        metrics.InboundConnectionFailed(error);
        LogInboundRefused(remote?.ToString() ?? "?", identity.Name, error, message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused inbound TLS from {Remote} to {Identity}: {Error}: {Reason}")]
    private partial void LogInboundRefused(string remote, string identity, string error, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused tap over TLS from {Remote}: {Reason}")]
    private partial void LogTapRefused(string remote, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused outbound TLS to {Address}, expected identity {Identity}: {Error}: {Reason}")]
    private partial void LogOutboundRefused(string address, string identity, string error, string reason);
}

/// <summary>The state of one inbound TLS connection's handshake, kept on the connection's features.</summary>
internal sealed class InboundHandshake
{
    /// <summary>The verified caller, once its certificate is accepted.</summary>
    public InboundPeer? Peer { get; set; }

    /// <summary>Set once the handshake succeeded and the connection reached the HTTP pipeline.</summary>
    public bool Completed { get; set; }

    public string? RefusedWith { get; private set; }

    /// <summary>A handshake on the tap port: it completes whatever the certificate, and <see cref="TapRefusal"/> says whether the caller may tap.</summary>
    public bool IsTap { get; init; }

    /// <summary>Why the caller may not tap (its certificate is not the tap client's), or null when it may.</summary>
    public string? TapRefusal { get; set; }

    public void Refuse(string error, string message) => RefusedWith = $"{error}: {message}";
}
