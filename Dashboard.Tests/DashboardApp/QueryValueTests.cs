using System.Net;

namespace Dashboard.Tests.DashboardApp;

/// <summary>
/// A link typed by hand with a true/false parameter of another value still shows its page, saying what it did with the
/// value, as a bad window does; the real dashboard process answers (the component model would refuse the value).
/// </summary>
public sealed class QueryValueTests : IAsyncLifetime
{
    private DashboardProcess _dashboard = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _dashboard = await DashboardProcess.StartAsync(new Dictionary<string, string> { ["Tap:Token"] = "test-token" });
        _http = new HttpClient { BaseAddress = _dashboard.Url, Timeout = TestTimeouts.Default };
    }

    [Theory]
    [InlineData("/namespaces?desc=maybe", "desc &#x27;maybe&#x27; is not true or false; sorting ascending.")]
    [InlineData("/namespaces/default/deployments?desc=maybe&window=abc", "window &#x27;abc&#x27; is not a duration in whole seconds up to 30d, such as 15s, 1m or 1h; showing 1m. desc &#x27;maybe&#x27; is not true or false")]
    [InlineData("/namespaces/default/deployments/ml?desc=2", "desc &#x27;2&#x27; is not true or false")]
    [InlineData("/tap?namespace=default&resource=deploy/ml&autostart=maybe", "autostart &#x27;maybe&#x27; is not true or false; press Start to tap")]
    [InlineData("/top?autostart=yes", "autostart &#x27;yes&#x27; is not true or false")]
    public async Task A_flag_that_is_neither_true_nor_false_is_explained_on_the_page(string path, string explanation)
    {
        using var response = await _http.GetAsync(path, TestTimeouts.Token).Within();
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token).Within();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}:\n{body}");
        Assert.Contains(explanation, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flag_in_another_case_is_read_as_the_flag()
    {
        using var response = await _http.GetAsync("/namespaces?desc=TRUE", TestTimeouts.Token).Within();
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token).Within();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("is not true or false", body, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _dashboard.DisposeAsync();
    }
}
