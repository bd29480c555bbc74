using System.Net;
using Dashboard.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dashboard.Tests.DashboardApp;

/// <summary>
/// Outside Development a failed request gets the dashboard's error page, with its status code and a way home, and
/// never the exception: the app as <c>dashboard serve</c> builds it, in Production, with one route that throws.
/// </summary>
public sealed class ErrorPageTests : IAsyncLifetime
{
    private const string Secret = "the secret in the exception";
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _app = DashboardWebApp.Build(
        [
            "--environment", "Production",
            // The static-assets manifest is the dashboard's, not the test runner's.
            "--applicationName", "dashboard",
            "--contentRoot", Path.Combine(RepoPaths.Root, "Dashboard"),
            "--urls", "http://127.0.0.1:0",
            // No Kubernetes API or Prometheus here, and the failure is the point: neither is news.
            "--Logging:LogLevel:Default=None",
        ]);
        _app.MapGet("/boom", (Func<string>)(() => throw new InvalidOperationException(Secret)));
        await _app.StartAsync(TestTimeouts.Token).Within(TestTimeouts.Slow);
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()), Timeout = TestTimeouts.Default };
    }

    [Fact]
    public async Task A_failed_request_answers_the_error_page_with_its_status_and_no_exception()
    {
        using var response = await _http.GetAsync("/boom", TestTimeouts.Token).Within();
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token).Within();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Something went wrong", body, StringComparison.Ordinal);
        Assert.Contains("(status 500)", body, StringComparison.Ordinal);
        Assert.Contains("""<a href="namespaces" class="error-home">Back to the namespaces</a>""", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), body, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync(CancellationToken.None).Within();
        await _app.DisposeAsync();
    }
}
