using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Dashboard.Contracts.Identity;
using k8s;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Dashboard.Proxy.IdentityService;

/// <summary>
/// The identity endpoint: the control plane's certificate issuer in a cluster. It serves <see cref="IdentityRoutes.Certify"/>
/// and <c>/ready</c>, <c>/live</c> over TLS 1.3 with a certificate of its own identity, which it issues to itself and
/// renews like a proxy does, so proxies can verify it with nothing but the trust anchors.
/// </summary>
public sealed class IdentityServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private IdentityServiceHost(WebApplication app, WorkloadIdentity identity, CertificateAuthority authority)
    {
        _app = app;
        Identity = identity;
        Authority = authority;
    }

    public CertificateAuthority Authority { get; }
    public WorkloadIdentity Identity { get; }

    /// <summary>The address it listens on (the real port when configured with port 0).</summary>
    public IPEndPoint BoundEndPoint { get; private set; } = null!;

    /// <param name="kubernetes">The API that reviews tokens; by default from <see cref="IdentityServiceOptions.KubernetesApi"/> or in-cluster.</param>
    public static async Task<IdentityServiceHost> StartAsync(IdentityServiceOptions options, IKubernetes? kubernetes = null,
        TimeProvider? time = null, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        time ??= TimeProvider.System;
        kubernetes ??= Hosting.KubernetesClients.Create(options.KubernetesApi);
        var authority = new CertificateAuthority(options.Issuer, options.TrustDomain, time, options.CertificateLifetime, options.ClockSkew);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        logging?.Invoke(builder.Logging);
        builder.Services.AddSingleton(authority);
        builder.Services.AddSingleton(new TokenReviewer(kubernetes));
        builder.Services.AddSingleton<CertifyEndpoint>();
        WorkloadIdentity? identity = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Listen, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    // Renewed in place: each handshake presents the current certificate.
                    OnConnection = _ => identity?.Current is { } current
                        ? ValueTask.FromResult(new SslServerAuthenticationOptions { ServerCertificateContext = current.Context, EnabledSslProtocols = SslProtocols.Tls13 })
                        : throw new AuthenticationException("the identity endpoint has no certificate yet"),
                });
            });
        });

        var app = builder.Build();
        identity = new WorkloadIdentity(options.LocalName, options.TrustAnchors, new LocalCertificateSource(authority), time,
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<WorkloadIdentity>());
        var endpoint = app.Services.GetRequiredService<CertifyEndpoint>();
        app.MapPost(IdentityRoutes.Certify, endpoint.HandleAsync);
        app.MapGet("/ready", (HttpContext c) => c.Response.WriteAsync("ready\n"));
        app.MapGet("/live", (HttpContext c) => c.Response.WriteAsync("live\n"));
        var host = new IdentityServiceHost(app, identity, authority);
        identity.Start();
        await identity.WaitForCertificateAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        await app.StartAsync(cancellationToken);
        host.BoundEndPoint = IPEndPoint.Parse(new Uri(app.Urls.First()).Authority);
        return host;
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await Identity.DisposeAsync();
    }
}
