namespace Dashboard.Cli.Check;

public enum CheckStatus
{
    Ok,

    /// <summary>Worth a look, but the system works: the final status stays [ok].</summary>
    Warn,

    Fail,
}
