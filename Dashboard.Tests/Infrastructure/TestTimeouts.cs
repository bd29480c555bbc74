using System.Runtime.CompilerServices;

namespace Dashboard.Tests.Infrastructure;

/// <summary>
/// Every await in a test is bounded, and one that does not finish names where it is: "the await at
/// Cli/TapProcessTests.cs:30 did not finish within 15 s" says which step hung, where a bare TimeoutException
/// would point into the helper.
/// </summary>
public static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan Slow = TimeSpan.FromSeconds(60);

    /// <summary>The test's own token: cancelled when the run is stopped or the test exceeds its time.</summary>
    public static CancellationToken Token => TestContext.Current.CancellationToken;

    public static async Task<T> Within<T>(this Task<T> task, TimeSpan? timeout = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var limit = timeout ?? Default;
        try
        {
            return await task.WaitAsync(limit, Token);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException($"the await at {Where(file, line)} did not finish within {Seconds(limit)}");
        }
    }

    public static async Task Within(this Task task, TimeSpan? timeout = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var limit = timeout ?? Default;
        try
        {
            await task.WaitAsync(limit, Token);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException($"the await at {Where(file, line)} did not finish within {Seconds(limit)}");
        }
    }

    public static Task Within(this ValueTask task, TimeSpan? timeout = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        task.AsTask().Within(timeout, file, line);

    public static Task<T> Within<T>(this ValueTask<T> task, TimeSpan? timeout = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        task.AsTask().Within(timeout, file, line);

    /// <summary>Polls <paramref name="condition"/> until it holds; for state owned by another process (no event to await).</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var limit = timeout ?? Default;
        var deadline = DateTime.UtcNow + limit;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!await condition().Within(limit, file, line))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Where(file, line)}: still waiting after {Seconds(limit)} for {what}");
            }

            await timer.WaitForNextTickAsync(Token);
        }
    }

    /// <summary>The place of a call, relative to the repository: <c>Dashboard.Tests/Cli/TapProcessTests.cs:30</c>.</summary>
    public static string Where(string file, int line) =>
        $"{(file.StartsWith(RepoPaths.Root, StringComparison.Ordinal) ? Path.GetRelativePath(RepoPaths.Root, file) : file)}:{line}";

    private static string Seconds(TimeSpan limit) => $"{limit.TotalSeconds:0.###} s";
}
