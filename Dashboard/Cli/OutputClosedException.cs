namespace Dashboard.Cli;

/// <summary>
/// Standard output is a pipe whose reader has gone (<c>dashboard tap … | head -1</c>): there is no one left to write
/// for, so the verb ends, with exit 0 as on Ctrl-C (<see cref="CliGlobals.SetAction"/>).
/// </summary>
public sealed class OutputClosedException : IOException
{
    public OutputClosedException()
    {
    }

    public OutputClosedException(string message)
        : base(message)
    {
    }

    public OutputClosedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
