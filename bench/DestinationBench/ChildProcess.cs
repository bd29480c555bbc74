using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DestinationBench;

/// <summary>
/// <c>dotnet Dashboard.Proxy.dll destination</c> as a process of its own, logging to a file, so that its CPU and memory
/// (<c>/proc/PID/stat</c> and <c>/proc/PID/status</c>) are its own.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private int _disposed;

    private ChildProcess(Process process, StreamWriter log, IPEndPoint listen)
    {
        _process = process;
        _log = log;
        Listen = listen;
    }

    public IPEndPoint Listen { get; }

    public int Pid => _process.Id;

    public static async Task<ChildProcess> StartDestinationAsync(string proxyDll, string apiUrl, string logFile, string pidFile)
    {
        var listen = new IPEndPoint(IPAddress.Loopback, FreePort());
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { proxyDll, "destination", "--listen-addr", listen.ToString(), "--kubernetes-api", apiUrl })
        {
            start.ArgumentList.Add(arg);
        }

        // Its csproj's GC settings, stated so the run is reproducible; one log line a stream would cost more than the streams.
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_gcConcurrent"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "1";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // DESTINATION_ENV: the DOTNET_ variables of the service's manifest, then NAME=VALUE words for experiments (the
        // script reads the first and checks the shape of both); they override the settings above.
        foreach (var word in (Environment.GetEnvironmentVariable("DESTINATION_ENV") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = word.IndexOf('=', StringComparison.Ordinal);
            start.Environment[word[..eq]] = word[(eq + 1)..];
        }

        var log = new StreamWriter(logFile) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        await File.WriteAllTextAsync(pidFile, process.Id.ToString(CultureInfo.InvariantCulture));
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var child = new ChildProcess(process, log, listen);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the destination service exited with {process.ExitCode} at start; see {logFile}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(listen.Address, listen.Port);
                return child;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>User plus system CPU time so far (<c>/proc/PID/stat</c> fields 14 and 15).</summary>
    public TimeSpan Cpu()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        // The command name may hold spaces: fields count from after its closing parenthesis (field 3 is the state).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / (double)ClockTicks);
    }

    /// <summary>VmRSS and VmHWM in bytes.</summary>
    public (long Rss, long Hwm) Memory()
    {
        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kib(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kib(line);
            }
        }

        return (rss, hwm);

        static long Kib(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Kills the service; also run at the driver's exit (SIGTERM from the script), so once is enough.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        _log.Dispose();
    }

    /// <summary>The kernel's clock ticks per second (<c>getconf CLK_TCK</c>, given by the script; 100 on Linux).</summary>
    private static int ClockTicks => int.TryParse(Environment.GetEnvironmentVariable("CLK_TCK"), out var t) && t > 0 ? t : 100;

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
