using System.Globalization;

// The runtime looks for a type named StartupHook outside any namespace (DOTNET_STARTUP_HOOKS).
#pragma warning disable CA1050

/// <summary>
/// Measures the dashboard's live managed heap for bench/dashboard.sh. When the file named by HEAP_PROBE_FILE with
/// ".request" appended appears, it runs full blocking compacting collections and writes the bytes still allocated
/// to the file itself: what the process keeps, exactly, without the garbage or the GC's headroom that RSS counts
/// (dotnet-gcdump's own heap total is sampled, and on this runtime may drop events).
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        var path = Environment.GetEnvironmentVariable("HEAP_PROBE_FILE");
        if (!string.IsNullOrEmpty(path))
        {
            new Thread(() => Serve(path)) { IsBackground = true, Name = "heap probe" }.Start();
        }
    }

    private static void Serve(string path)
    {
        var request = path + ".request";
        while (true)
        {
            if (File.Exists(request))
            {
                File.Delete(request);
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                var written = path + ".tmp";
                File.WriteAllText(written, GC.GetTotalMemory(forceFullCollection: false).ToString(CultureInfo.InvariantCulture));
                File.Move(written, path, overwrite: true);
            }

            Thread.Sleep(50);
        }
    }
}
