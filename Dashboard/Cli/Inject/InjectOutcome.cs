namespace Dashboard.Cli.Inject;

/// <summary>What inject did to one workload; printed to standard error as <c>deployment "web" injected</c>.</summary>
/// <param name="SkipReason">Null when the proxy was added.</param>
public sealed record InjectOutcome(string Kind, string Name, string? SkipReason)
{
    public bool Injected => SkipReason is null;

    public override string ToString() => Injected
        ? $"{Kind.ToLowerInvariant()} \"{Name}\" injected"
        : $"{Kind.ToLowerInvariant()} \"{Name}\" skipped: {SkipReason}";
}
