namespace Dashboard.Cli;

/// <summary>The exit codes of every verb: the reason for 1 and 2 is written to standard error.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A failed check, an unreachable API, a resource not found: the command ran and failed.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong: an unknown verb or option, a bad value.</summary>
    public const int Usage = 2;
}
