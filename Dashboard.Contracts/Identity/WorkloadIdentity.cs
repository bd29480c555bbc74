using Microsoft.Extensions.Logging;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Dashboard.Contracts.Identity;

/// <summary>
/// One workload's identity (a proxy's, or the dashboard's): its name, the trust anchors it checks peers against, and its current certificate, obtained
/// from an <see cref="ICertificateSource"/> at start and renewed at 70 % of its lifetime. A renewal only changes what
/// new handshakes present; connections already open keep going. The private key is made here and never leaves.
/// </summary>
public sealed partial class WorkloadIdentity : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);
    private readonly ICertificateSource _source;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<WorkloadCertificate>? _renewed;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile WorkloadCertificate? _current;
    private Task _loop = Task.CompletedTask;
    private int _refreshes;

    public WorkloadIdentity(string name, X509Certificate2Collection trustAnchors, ICertificateSource source, TimeProvider time, ILogger logger,
        Action<WorkloadCertificate>? renewed = null)
    {
        if (IdentityNames.TrustDomainOf(name) is not { } domain)
        {
            throw new ArgumentException($"'{name}' is not an identity: expected <serviceaccount>.<namespace>.serviceaccount.identity.<trust-domain>", nameof(name));
        }

        Name = name;
        TrustDomain = domain;
        TrustAnchors = trustAnchors;
        Verifier = new PeerVerifier(trustAnchors);
        _source = source;
        _time = time;
        _logger = logger;
        _renewed = renewed;
    }

    public string Name { get; }
    public string TrustDomain { get; }
    public X509Certificate2Collection TrustAnchors { get; }
    public PeerVerifier Verifier { get; }

    /// <summary>The certificate new handshakes present; null until the first one is issued.</summary>
    public WorkloadCertificate? Current => _current;

    /// <summary>Certificates obtained so far (the first and every renewal).</summary>
    public int Refreshes => Volatile.Read(ref _refreshes);

    /// <summary>Starts obtaining and renewing certificates in the background; idempotent.</summary>
    public void Start()
    {
        if (_loop.IsCompleted && !_stop.IsCancellationRequested)
        {
            _loop = Task.Run(() => RenewLoopAsync(_stop.Token));
        }
    }

    /// <summary>
    /// The server side of one mesh handshake presenting <paramref name="current"/>: TLS 1.3, no session resumption (every
    /// connection proves its certificate), a client certificate required and judged against the trust anchors.
    /// <paramref name="judge"/> gets the verdict and answers whether the handshake goes on.
    /// </summary>
    public SslServerAuthenticationOptions ServerOptions(WorkloadCertificate current, Func<PeerVerdict, bool> judge,
        List<SslApplicationProtocol>? applicationProtocols = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(judge);
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = current.Context,
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls13,
            AllowTlsResume = false,
            ApplicationProtocols = applicationProtocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = Verifier.Policy(current.Intermediates),
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                judge(Verifier.Evaluate(certificate, chain, errors, expectedIdentity: null, _time.GetUtcNow())),
        };
    }

    /// <summary>Completes once the first certificate is in place.</summary>
    public Task WaitForCertificateAsync(CancellationToken cancellationToken) => _first.Task.WaitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        var retry = FirstRetry;
        while (!cancellationToken.IsCancellationRequested)
        {
            WorkloadCertificate? certificate = null;
            string? failure = null;
            try
            {
                certificate = await ObtainAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IdentityUnavailableException ex)
            {
                failure = ex.Message;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            var wait = certificate is null ? retry : certificate.RenewAt - _time.GetUtcNow();
            // Armed before anyone hears of the outcome, so a clock moved on the news (a test's) moves this timer too.
            var next = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time, cancellationToken);
            if (certificate is not null)
            {
                _current = certificate;
                Interlocked.Increment(ref _refreshes);
                _renewed?.Invoke(certificate);
                LogCertified(Name, certificate.SerialNumber, certificate.NotAfter, certificate.RenewAt);
                _first.TrySetResult();
                retry = FirstRetry;
            }
            else
            {
                LogCertifyFailed(Name, failure!, retry.TotalSeconds, _current?.NotAfter);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, MaxRetry.Ticks));
            }

            try
            {
                await next.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<WorkloadCertificate> ObtainAsync(CancellationToken cancellationToken)
    {
        using var key = MeshCertificates.NewKey();
        var issued = await _source.CertifyAsync(Name, MeshCertificates.CreateSigningRequest(key, Name), cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        // A certificate our peers would refuse is no certificate: say why, and keep asking.
        var verdict = Verifier.Verify(issued.Certificate, issued.Intermediates, expectedIdentity: Name, now);
        if (verdict.Refusal is { } refusal)
        {
            throw new IdentityUnavailableException($"the issued certificate is unusable: {refusal.Message}");
        }

        using var publicKey = issued.Certificate.GetECDsaPublicKey();
        if (publicKey is null || !publicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            throw new IdentityUnavailableException("the issued certificate is not for the key this workload asked to certify");
        }

        return new WorkloadCertificate(issued.Certificate.CopyWithPrivateKey(key), issued.Intermediates, now);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Identity {Identity}: certificate {Serial} valid until {NotAfter:u}, renewal at {RenewAt:u}")]
    private partial void LogCertified(string identity, string serial, DateTimeOffset notAfter, DateTimeOffset renewAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Identity {Identity}: cannot obtain a certificate: {Reason}; retrying in {RetrySeconds}s (current certificate valid until {NotAfter:u})")]
    private partial void LogCertifyFailed(string identity, string reason, double retrySeconds, DateTimeOffset? notAfter);
}
