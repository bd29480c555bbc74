using System.Security.Cryptography.X509Certificates;
using Dashboard.Contracts.Identity;
using Dashboard.Proxy.IdentityService;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Tests.Identity;

/// <summary>A proxy's certificate over time: obtained at start, renewed at 70 % of its lifetime, kept while renewal fails.</summary>
public sealed class WorkloadIdentityTests
{
    private static readonly string Web = IdentityNames.Format("web", "shop");

    [Fact]
    public async Task The_certificate_is_renewed_at_70_percent_of_its_lifetime()
    {
        var time = new FakeTimeProvider(WholeSecond());
        var (anchor, authority) = CertificateAuthority.CreateMesh("cluster.local", TimeSpan.FromDays(30), time, lifetime: TimeSpan.FromHours(24));
        var renewed = new List<DateTimeOffset>();
        var logs = new LogCapture();
        await using var identity = new WorkloadIdentity(Web, [anchor], new LocalCertificateSource(authority), time, logs.CreateLogger("identity"), c => renewed.Add(c.NotAfter));

        identity.Start();
        await identity.WaitForCertificateAsync(TestTimeouts.Token).Within();
        var first = identity.Current!;
        Assert.Equal(time.GetUtcNow() + (TimeSpan.FromHours(24) * 0.7), first.RenewAt);
        Assert.True(first.Certificate.HasPrivateKey);

        time.Advance(first.RenewAt - time.GetUtcNow() - TimeSpan.FromSeconds(1));
        Assert.Same(first, identity.Current);
        time.Advance(TimeSpan.FromSeconds(1));
        await TestTimeouts.Eventually(() => Task.FromResult(identity.Refreshes == 2), "the renewal: " + string.Join(" | ", logs.Entries.Select(e => e.Message)));

        var second = identity.Current!;
        Assert.NotEqual(first.SerialNumber, second.SerialNumber);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromHours(24), second.NotAfter);
        Assert.Equal([first.NotAfter, second.NotAfter], renewed);
    }

    [Fact]
    public async Task While_the_source_fails_the_proxy_keeps_its_certificate_and_retries_with_backoff()
    {
        var time = new FakeTimeProvider(WholeSecond());
        var (anchor, authority) = CertificateAuthority.CreateMesh("cluster.local", TimeSpan.FromDays(30), time, lifetime: TimeSpan.FromHours(1));
        var source = new FlakySource(new LocalCertificateSource(authority));
        var logs = new LogCapture();
        await using var identity = new WorkloadIdentity(Web, [anchor], source, time, logs.CreateLogger("identity"));
        identity.Start();
        await identity.WaitForCertificateAsync(TestTimeouts.Token).Within();
        var first = identity.Current!;

        source.Failing = true;
        time.Advance(TimeSpan.FromMinutes(42));
        await logs.WaitForAsync(LogLevel.Warning, $"Identity {Web}: cannot obtain a certificate: the identity endpoint is down; retrying in 0.5s (current certificate valid until");
        Assert.Same(first, identity.Current);
        time.Advance(TimeSpan.FromMilliseconds(500));
        await logs.WaitForAsync(LogLevel.Warning, "retrying in 1s (current certificate valid until");
        source.Failing = false;
        time.Advance(TimeSpan.FromSeconds(1));

        await TestTimeouts.Eventually(() => Task.FromResult(identity.Refreshes == 2), "the renewal after the source recovered");
        Assert.Equal(2, source.Failures);
    }

    [Fact]
    public async Task A_certificate_that_peers_would_refuse_is_not_taken()
    {
        var (anchor, _) = CertificateAuthority.CreateMesh("cluster.local", TimeSpan.FromDays(30));
        var (_, foreign) = CertificateAuthority.CreateMesh("cluster.local", TimeSpan.FromDays(30));
        var logs = new LogCapture();
        await using var identity = new WorkloadIdentity(Web, [anchor], new LocalCertificateSource(foreign), TimeProvider.System, logs.CreateLogger("identity"));

        identity.Start();

        await logs.WaitForAsync(LogLevel.Warning, "cannot obtain a certificate: the issued certificate is unusable: the certificate of web.shop.serviceaccount.identity.cluster.local (issued by CN=identity.cluster.local) does not chain to this mesh's trust anchor");
        Assert.Null(identity.Current);
    }

    /// <summary>Certificate times have whole seconds: a clock on one keeps them comparable.</summary>
    private static DateTimeOffset WholeSecond() => DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private sealed class FlakySource(ICertificateSource inner) : ICertificateSource
    {
        public volatile bool Failing;
        private int _failures;

        public int Failures => _failures;

        public Task<IssuedCertificate> CertifyAsync(string identity, byte[] signingRequest, CancellationToken cancellationToken)
        {
            if (Failing)
            {
                Interlocked.Increment(ref _failures);
                throw new IdentityUnavailableException("the identity endpoint is down");
            }

            return inner.CertifyAsync(identity, signingRequest, cancellationToken);
        }
    }
}
