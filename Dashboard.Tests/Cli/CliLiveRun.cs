using System.Text;
using Dashboard.Cli;

namespace Dashboard.Tests.Cli;

/// <summary>
/// An in-process run of a verb that streams until stopped (<c>tap</c>): its output is watched as it is written, and
/// once it holds what the test needs the run is cancelled as Ctrl-C cancels it in the executable.
/// </summary>
public static class CliLiveRun
{
    public static async Task<CliRun> RunUntilAsync(string[] args, Func<string, bool> enough)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestTimeouts.Token);
        using var output = new WatchedWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var running = DashboardCli.RunAsync(args, new CliConsole(new StringReader(""), output, error, IsInteractive: false), stop.Token);
        try
        {
            await TestTimeouts.Eventually(() => Task.FromResult(running.IsCompleted || enough(output.Text)), "enough output: " + string.Join(' ', args), TestTimeouts.Slow);
        }
        finally
        {
            await stop.CancelAsync();
        }

        var code = await running.Within();
        return new CliRun(code, output.Text, error.ToString());
    }

    /// <summary>A writer whose text can be read while the verb writes from its own thread.</summary>
    private sealed class WatchedWriter : TextWriter
    {
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => Encoding.UTF8;

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

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }
    }
}
