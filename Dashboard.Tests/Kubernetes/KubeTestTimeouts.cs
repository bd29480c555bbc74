namespace Dashboard.Tests.Kubernetes;

/// <summary>Every await in these tests is bounded, so a hang fails the test instead of the run.</summary>
internal static class KubeTestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);

    public static Task WithTimeout(this Task task) => task.WaitAsync(Default, TestContext.Current.CancellationToken);

    public static Task<T> WithTimeout<T>(this Task<T> task) => task.WithTimeout(Default);

    public static Task<T> WithTimeout<T>(this Task<T> task, TimeSpan timeout) => task.WaitAsync(timeout, TestContext.Current.CancellationToken);

    public static Task<T> WithTimeout<T>(this ValueTask<T> task) => task.AsTask().WithTimeout();
}
