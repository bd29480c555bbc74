namespace Dashboard.Cli;

/// <summary>Ends a verb with <see cref="ExitCode"/> and <see cref="Exception.Message"/> on standard error.</summary>
public sealed class CommandException : Exception
{
    public CommandException()
        : this("the command failed")
    {
    }

    public CommandException(string message)
        : this(message, ExitCodes.Failure)
    {
    }

    public CommandException(string message, Exception innerException)
        : base(message, innerException) => ExitCode = ExitCodes.Failure;

    private CommandException(string message, int exitCode)
        : base(message) => ExitCode = exitCode;

    public int ExitCode { get; }

    /// <summary>The command line is wrong (exit 2): say which input and what was expected.</summary>
    public static CommandException Usage(string message) => new(message, ExitCodes.Usage);

    /// <summary>The command ran and failed (exit 1).</summary>
    public static CommandException Failed(string message) => new(message, ExitCodes.Failure);
}
