using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Playwright;
using Xunit.v3;

[assembly: Dashboard.Tests.Infrastructure.PageErrors.FailOnPageErrors]

namespace Dashboard.Tests.Infrastructure;

/// <summary>
/// The uncaught exceptions and console errors of the pages each test opens (<see cref="BrowserSession.NewPageAsync"/>):
/// a test whose pages logged one fails, whatever it asserted, so a script error on any page is caught.
/// </summary>
public static class PageErrors
{
    private static readonly ConcurrentDictionary<string, TestPages> ByTest = new(StringComparer.Ordinal);

    /// <summary>Records what <paramref name="page"/> logs as an error, against the test that opened it.</summary>
    public static void Watch(IPage page)
    {
        var test = TestContext.Current.Test?.UniqueID ?? throw new InvalidOperationException("pages are opened by tests, not by fixtures: their errors fail the test that opened them");
        var pages = ByTest.GetOrAdd(test, _ => new TestPages());
        pages.Add(page);
        page.PageError += (_, error) => pages.Record($"{page.Url}: uncaught {error}");
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                pages.Record($"{page.Url}: console error: {message.Text} (at {message.Location})");
            }
        };
    }

    /// <summary>Closes what the test left open (which delivers every event its pages sent before) and fails the test on any error.</summary>
    [AttributeUsage(AttributeTargets.Assembly)]
    public sealed class FailOnPageErrorsAttribute : BeforeAfterTestAttribute
    {
        private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(15);

        public override void After(MethodInfo methodUnderTest, IXunitTest test)
        {
            if (!ByTest.TryRemove(test.UniqueID, out var pages))
            {
                return;
            }

            try
            {
                // After is synchronous; Playwright completes its calls on its own connection's threads, so this wait cannot deadlock.
                if (!pages.CloseAllAsync().Wait(CloseTimeout))
                {
                    throw Xunit.Sdk.FailException.ForFailure($"the test's pages did not close within {CloseTimeout.TotalSeconds:0} s");
                }
            }
            catch (AggregateException)
            {
                // The browser went away first (its session was disposed): its pages can send nothing more.
            }

            if (pages.Errors is { Count: > 0 } errors)
            {
                throw Xunit.Sdk.FailException.ForFailure($"the test's pages logged {errors.Count} error(s):\n{string.Join("\n", errors)}");
            }
        }
    }

    private sealed class TestPages
    {
        private readonly ConcurrentQueue<IPage> _pages = new();
        private readonly ConcurrentQueue<string> _errors = new();

        public IReadOnlyList<string> Errors => [.. _errors];

        public void Add(IPage page) => _pages.Enqueue(page);

        public void Record(string error) => _errors.Enqueue(error);

        public Task CloseAllAsync() => Task.WhenAll(_pages.Where(p => !p.IsClosed).Select(p => p.CloseAsync()));
    }
}
