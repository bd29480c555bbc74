using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Dashboard.Tests.Infrastructure;

/// <summary>
/// A child process a test owns, the one way the tests start one: its standard output and error are kept exactly
/// as written (for the assertions) and line by line in the test's log (<see cref="TestLog"/>, shown when the test
/// fails); disposing it kills it and what it started.
/// </summary>
public sealed partial class CapturedProcess : IAsyncDisposable
{
    private readonly StringBuilder _lines = new();
    private readonly Capture _stdout;
    private readonly Capture _stderr;
    private readonly Task _read;
    private readonly string _command;

    private CapturedProcess(Process process, string command, TestLog log)
    {
        Process = process;
        _command = command;
        _stdout = new Capture(this, log);
        _stderr = new Capture(this, log);
        _read = Task.WhenAll(_stdout.ReadAsync(process.StandardOutput), _stderr.ReadAsync(process.StandardError));
    }

    public Process Process { get; }

    /// <summary>Standard output as written so far.</summary>
    public string StandardOutput => _stdout.Text;

    /// <summary>Standard error as written so far.</summary>
    public string StandardError => _stderr.Text;

    /// <summary>Both streams' lines in the order they arrived.</summary>
    public string Output
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToString();
            }
        }
    }

    /// <exception cref="InvalidOperationException">The file cannot be run; names it.</exception>
    public static CapturedProcess Start(ProcessStartInfo info)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        TestLog.LetConsoleLog(info.Environment);
        var command = string.Join(' ', [Path.GetFileName(info.FileName), .. info.ArgumentList]);
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"cannot run {info.FileName}: {ex.Message}; ./test.sh installs what the tests need", ex);
        }

        return new CapturedProcess(process, command, TestLog.For($"{Path.GetFileName(info.FileName)} {process.Id}"));
    }

    /// <summary>Runs to its end within <paramref name="timeout"/>; killed and a TimeoutException naming it otherwise.</summary>
    public static async Task<ProcessResult> RunAsync(ProcessStartInfo info, TimeSpan timeout)
    {
        await using var process = Start(info);
        var code = await process.WaitForExitAsync(timeout);
        return new ProcessResult(code, process.StandardOutput, process.StandardError);
    }

    /// <summary>The exit code, once the process has exited and both streams are read to their end.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? TestTimeouts.Default;
        try
        {
            await Task.WhenAll(Process.WaitForExitAsync(TestTimeouts.Token), _read).WaitAsync(limit, TestTimeouts.Token);
        }
        catch (TimeoutException)
        {
            Kill();
            throw new TimeoutException($"{_command} did not finish within {limit.TotalSeconds:0.#} s; its output:\n{Output}");
        }

        return Process.ExitCode;
    }

    /// <summary>The first line of standard output that <paramref name="match"/> accepts; fails if the process ends without one.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match) =>
        _stdout.WaitAsync(lines => lines.FirstOrDefault(match), "printing the line awaited");

    /// <summary>Completes once standard output holds <paramref name="count"/> whole lines; fails if the process ends first.</summary>
    public Task WaitForLinesAsync(int count) =>
        _stdout.WaitAsync(lines => lines.Count >= count ? "" : null, $"printing {count} lines");

    /// <summary>Sends <paramref name="signal"/> (2: SIGINT, as a terminal's Ctrl-C; 15: SIGTERM, as a container stop).</summary>
    public void Signal(int signal) => Assert.True(Kill(Process.Id, signal) == 0, $"kill -{signal} {Process.Id} failed: {Marshal.GetLastPInvokeErrorMessage()}");

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Process.WaitForExitAsync(CancellationToken.None).Within();
        Process.Dispose();
    }

    private void Kill()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>One redirected stream: its exact text, and its lines handed to the log and to whoever waits for one.</summary>
    private sealed class Capture(CapturedProcess owner, TestLog log)
    {
        private readonly StringBuilder _text = new();
        private readonly StringBuilder _line = new();
        private readonly List<string> _complete = [];
        private readonly List<Waiter> _waiters = [];
        private bool _ended;

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public async Task ReadAsync(StreamReader reader)
        {
            var buffer = new char[4096];
            int read;
            while ((read = await reader.ReadAsync(buffer, CancellationToken.None)) > 0)
            {
                lock (_text)
                {
                    Append(buffer.AsSpan(0, read));
                    _waiters.RemoveAll(w => w.TryComplete(_complete));
                }
            }

            lock (_text)
            {
                if (_line.Length > 0)
                {
                    Log(_line.ToString());
                }

                _ended = true;
                foreach (var waiter in _waiters)
                {
                    waiter.Fail(owner);
                }
            }
        }

        /// <summary>Waits until <paramref name="found"/> returns non-null for the whole lines so far.</summary>
        public Task<string> WaitAsync(Func<IReadOnlyList<string>, string?> found, string what)
        {
            lock (_text)
            {
                var waiter = new Waiter(found, what);
                if (!waiter.TryComplete(_complete))
                {
                    if (_ended)
                    {
                        waiter.Fail(owner);
                    }
                    else
                    {
                        _waiters.Add(waiter);
                    }
                }

                return waiter.Task;
            }
        }

        private void Append(ReadOnlySpan<char> chars)
        {
            _text.Append(chars);
            foreach (var c in chars)
            {
                if (c != '\n')
                {
                    _line.Append(c);
                    continue;
                }

                _complete.Add(_line.ToString());
                Log(_line.ToString());
                _line.Clear();
            }
        }

        private void Log(string line)
        {
            lock (owner._lines)
            {
                owner._lines.AppendLine(line);
            }

            log.Write(line);
        }
    }

    private sealed class Waiter(Func<IReadOnlyList<string>, string?> found, string what)
    {
        private readonly TaskCompletionSource<string> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> Task => _done.Task;

        public bool TryComplete(IReadOnlyList<string> lines) => found(lines) is { } line && _done.TrySetResult(line);

        public void Fail(CapturedProcess owner) =>
            _done.TrySetException(new InvalidOperationException($"{owner._command} ended before {what}; its output:\n{owner.Output}"));
    }
}
