namespace Dashboard.Tests.Infrastructure;

/// <summary>Where things are in the checkout the tests run from.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The proxy's own build output, built with the tests (the test project references it).</summary>
    public static string ProxyDll => Path.Combine(AppContext.BaseDirectory, "Dashboard.Proxy.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dashboard.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Dashboard.sln above {AppContext.BaseDirectory}");
    }
}
