namespace Dashboard.Tests.Infrastructure;

public static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan Slow = TimeSpan.FromSeconds(60);

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Every await in a test is bounded.</summary>
    public static Task<T> Within<T>(this Task<T> task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? Default, Token);

    public static Task Within(this Task task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? Default, Token);

    public static Task Within(this ValueTask task, TimeSpan? timeout = null) => task.AsTask().WaitAsync(timeout ?? Default, Token);

    public static Task<T> Within<T>(this ValueTask<T> task, TimeSpan? timeout = null) => task.AsTask().WaitAsync(timeout ?? Default, Token);

    /// <summary>Polls <paramref name="condition"/> until it holds; for state owned by another process (no event to await).</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Default);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await timer.WaitForNextTickAsync(Token);
        }
    }
}
