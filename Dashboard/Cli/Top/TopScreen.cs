namespace Dashboard.Cli.Top;

/// <summary>
/// The terminal while <c>top</c> is live: the alternate screen (so the shell's screen comes back afterwards),
/// redrawn in place, and the <c>q</c> key. Only for a terminal; a pipe gets the final table alone.
/// </summary>
internal sealed class TopScreen : IDisposable
{
    // VT100/xterm control sequences: alternate screen on/off, cursor hidden/shown, cursor home + clear.
    private const string Enter = "\e[?1049h\e[?25l";
    private const string Leave = "\e[?25h\e[?1049l";
    private const string Home = "\e[H\e[2J";

    private readonly TextWriter _out;
    private readonly bool _keys;

    public TopScreen(TextWriter output)
    {
        _out = output;
        // Keys come from the terminal; with standard input redirected there are none (Ctrl-C still ends top).
        _keys = !Console.IsInputRedirected;
        _out.Write(Enter);
        _out.Flush();
    }

    /// <summary>Lines that fit the terminal: its height less the title and the header.</summary>
    public static int? RowsThatFit => Console.IsOutputRedirected ? null : Math.Max(1, Console.WindowHeight - 3);

    public void Draw(string text)
    {
        _out.Write(Home);
        _out.Write(text);
        _out.Flush();
    }

    /// <summary>Whether <c>q</c> was pressed since the last call (other keys are ignored).</summary>
    public bool QuitPressed()
    {
        var quit = false;
        while (_keys && Console.KeyAvailable)
        {
            quit |= Console.ReadKey(intercept: true).KeyChar is 'q' or 'Q';
        }

        return quit;
    }

    public void Dispose()
    {
        _out.Write(Leave);
        _out.Flush();
    }
}
