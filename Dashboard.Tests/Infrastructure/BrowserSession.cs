using Microsoft.Playwright;

namespace Dashboard.Tests.Infrastructure;

/// <summary>Headless Debian Chromium driven by Playwright (never a downloaded browser: none can be fetched here).</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BrowserSession(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    /// <summary>Where screenshots are kept: the test artefacts of a run.</summary>
    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "TestResults", "screenshots")).FullName;

    public static async Task<BrowserSession> LaunchAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} not found: ./test.sh installs it (apt-get install chromium)");
        var playwright = await Playwright.CreateAsync().Within();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            ],
        }).Within(TestTimeouts.Slow);
        return new BrowserSession(playwright, browser);
    }

    /// <summary>A page of the current test: its uncaught exceptions and console errors fail the test (<see cref="PageErrors"/>).</summary>
    public async Task<IPage> NewPageAsync(BrowserNewPageOptions? options = null)
    {
        options ??= new BrowserNewPageOptions();
        options.ViewportSize ??= new ViewportSize { Width = 1400, Height = 900 };
        var page = await _browser.NewPageAsync(options).Within();
        page.SetDefaultTimeout(15_000);
        PageErrors.Watch(page);
        return page;
    }

    /// <summary>
    /// Waits until the page's interactive circuit is up (dashboard.js marks it): the prerendered HTML already shows
    /// rows and numbers, but clicks and typing do nothing before this.
    /// </summary>
    public static Task WaitUntilLiveAsync(IPage page) =>
        Assertions.Expect(page.Locator("html[data-live='true']")).ToHaveCountAsync(1, new() { Timeout = 45_000 });

    /// <summary>Switches the page to the dark theme with its toggle, and waits until it shows.</summary>
    public static async Task DarkAsync(IPage page)
    {
        await page.Locator(".theme-toggle").ClickAsync().Within();
        await page.WaitForFunctionAsync("() => getComputedStyle(document.body).backgroundColor !== 'rgb(255, 255, 255)'").Within();
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true }).Within();

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
