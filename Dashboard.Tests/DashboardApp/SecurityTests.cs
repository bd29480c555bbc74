using System.Net;
using Dashboard.Configuration;
using Dashboard.Security;

namespace Dashboard.Tests.DashboardApp;

/// <summary>Host filtering, security headers and the Blazor origin check, over real HTTP on loopback.</summary>
public sealed class SecurityTests
{
    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST:9999")]
    [InlineData("127.0.0.1:8084")]
    [InlineData("[::1]:8084")]
    [InlineData("dashboard")]
    public async Task Default_allowed_hosts_pass_on_any_port(string host)
    {
        await using var app = await SecurityHost.StartAsync();

        using var response = await app.SendAsync(HttpMethod.Get, "/", host);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync(TestTimeouts.Token));
    }

    [Fact]
    public async Task An_unknown_host_gets_400_naming_the_host_and_the_key_that_allows_it()
    {
        await using var app = await SecurityHost.StartAsync();

        using var response = await app.SendAsync(HttpMethod.Get, "/", "evil.example");
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("does not answer to the host 'evil.example'", body, StringComparison.Ordinal);
        Assert.Contains(ConfigKeys.AllowedHosts, body, StringComparison.Ordinal);
        Assert.Contains("Dashboard__AllowedHosts=\"localhost;127.0.0.1;[::1];dashboard;evil.example\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("ok", body.Split('\n')[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a.example.com", HttpStatusCode.OK)]
    [InlineData("a.b.example.com:443", HttpStatusCode.OK)]
    [InlineData("example.com", HttpStatusCode.BadRequest)]
    [InlineData("a.example.com.evil.example", HttpStatusCode.BadRequest)]
    [InlineData("localhost", HttpStatusCode.BadRequest)] // the configured list replaces the defaults
    public async Task Wildcard_patterns_allow_subdomains(string host, HttpStatusCode expected)
    {
        await using var app = await SecurityHost.StartAsync(new() { [ConfigKeys.AllowedHosts] = "*.example.com" });

        using var response = await app.SendAsync(HttpMethod.Get, "/", host);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_star_allows_every_host()
    {
        await using var app = await SecurityHost.StartAsync(new() { ["Dashboard:AllowedHosts:0"] = "*" });

        using var response = await app.SendAsync(HttpMethod.Get, "/", "anything.example");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/", "localhost", HttpStatusCode.OK)]
    [InlineData("/missing", "localhost", HttpStatusCode.NotFound)]
    [InlineData("/boom", "localhost", HttpStatusCode.InternalServerError)]
    [InlineData("/", "evil.example", HttpStatusCode.BadRequest)]
    public async Task Every_response_carries_the_security_headers(string path, string host, HttpStatusCode status)
    {
        await using var app = await SecurityHost.StartAsync();

        using var response = await app.SendAsync(HttpMethod.Get, path, host);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(DashboardSecurityOptions.DefaultContentSecurityPolicy, Header(response, "Content-Security-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
    }

    [Fact]
    public void The_content_security_policy_allows_blazor_server_and_mudblazor_and_nothing_unsafe_for_scripts()
    {
        var directives = DashboardSecurityOptions.DefaultContentSecurityPolicy.Split("; ")
            .ToDictionary(d => d.Split(' ')[0], d => d[(d.IndexOf(' ', StringComparison.Ordinal) + 1)..]);

        Assert.Equal("'self'", directives["default-src"]);
        Assert.Equal("'self'", directives["script-src"]);
        Assert.Equal("'self' 'unsafe-inline'", directives["style-src"]);
        Assert.Equal("'self' ws: wss:", directives["connect-src"]);
        Assert.Equal("'self' data:", directives["img-src"]);
        Assert.Equal("'none'", directives["frame-ancestors"]);
        Assert.Equal("'self'", directives["base-uri"]);
        Assert.Equal("'self'", directives["form-action"]);
    }

    [Fact]
    public async Task Blazor_negotiate_from_a_foreign_origin_is_forbidden()
    {
        await using var app = await SecurityHost.StartAsync();

        using var response = await app.SendAsync(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1", origin: "http://evil.example");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Origin 'http://evil.example'", await response.Content.ReadAsStringAsync(TestTimeouts.Token), StringComparison.Ordinal);
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
    }

    [Fact]
    public async Task Blazor_requests_from_the_dashboards_own_origin_or_without_origin_pass()
    {
        await using var app = await SecurityHost.StartAsync();
        var ownOrigin = app.Url.GetLeftPart(UriPartial.Authority);

        using var same = await app.SendAsync(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1", origin: ownOrigin);
        using var none = await app.SendAsync(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        using var upperCase = await app.SendAsync(HttpMethod.Post, "/_blazor/negotiate", origin: ownOrigin.ToUpperInvariant());

        Assert.Equal((HttpStatusCode.OK, "negotiated"), (same.StatusCode, await same.Content.ReadAsStringAsync(TestTimeouts.Token)));
        Assert.Equal(HttpStatusCode.OK, none.StatusCode);
        Assert.Equal(HttpStatusCode.OK, upperCase.StatusCode);
    }

    [Theory]
    [InlineData("http://127.0.0.1:1")]    // same host, another port: another origin
    [InlineData("http://localhost")]      // an allowed host, but not the one this request was sent to
    [InlineData("null")]                  // sandboxed frames and file: pages
    public async Task Blazor_circuit_refuses_other_origins(string origin)
    {
        await using var app = await SecurityHost.StartAsync();

        using var response = await app.SendAsync(HttpMethod.Get, "/_blazor?id=abc", origin: origin);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Configured_origins_may_connect_and_other_paths_ignore_the_origin()
    {
        await using var app = await SecurityHost.StartAsync(configure: o => o.AllowedOrigins.Add("https://Dashboard.Example.com"));

        using var allowed = await app.SendAsync(HttpMethod.Post, "/_blazor/negotiate", origin: "https://dashboard.example.com");
        using var page = await app.SendAsync(HttpMethod.Get, "/", origin: "http://evil.example");

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
