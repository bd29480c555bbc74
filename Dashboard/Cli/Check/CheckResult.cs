namespace Dashboard.Cli.Check;

/// <summary>How one check came out; <see cref="Hint"/> (one line) tells a failing user what to do.</summary>
public sealed record CheckResult(CheckStatus Status, string? Hint)
{
    public static CheckResult Ok { get; } = new(CheckStatus.Ok, null);

    public static CheckResult Warn(string hint) => new(CheckStatus.Warn, hint);

    public static CheckResult Fail(string hint) => new(CheckStatus.Fail, hint);

    /// <summary>The check does not apply here (e.g. pod checks for a control plane outside the cluster): it is not printed.</summary>
    public static CheckResult? NotApplicable => null;
}
