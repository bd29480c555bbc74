
namespace Dashboard.Cli.Check;

/// <summary>
/// <c>linkerd-identity</c> (after install): the trust anchors and the issuer the cluster keeps are valid, ECDSA P-256,
/// have 60 days left and belong together; with <c>--proxy</c>, <c>linkerd-identity-data-plane</c>: every meshed proxy
/// presents a certificate that chains to the anchors. The judging is <see cref="IdentityChecks"/>; this fetches and prints.
/// </summary>
public sealed class IdentityHealthChecks : ICheckProvider
{
    private const string ResultsFact = "identity.results";

    public IEnumerable<CheckCategory> Categories(CheckOptions options)
    {
        if (options.Pre)
        {
            yield break;
        }

        yield return new CheckCategory(IdentityChecks.Category,
            [.. IdentityChecks.MaterialChecks.Select(d => new HealthCheck(d, (context, ct) => LineAsync(context, IdentityChecks.Category, d, ct)))]);
        if (options.Proxy)
        {
            yield return new CheckCategory(IdentityChecks.DataPlaneCategory,
                [new(IdentityChecks.DataPlaneCheck, (context, ct) => LineAsync(context, IdentityChecks.DataPlaneCategory, IdentityChecks.DataPlaneCheck, ct))]);
        }
    }

    private static async Task<CheckResult?> LineAsync(CheckContext context, string category, string description, CancellationToken cancellationToken)
    {
        var results = context.Get<Task<IReadOnlyList<IdentityCheckResult>>>(ResultsFact);
        if (results is null)
        {
            results = RunAsync(context, cancellationToken);
            context.Set(ResultsFact, results);
        }

        // A line Run did not give: the material could not be read, which the first line reports.
        var line = (await results.ConfigureAwait(false)).FirstOrDefault(r => r.Category == category && r.Description == description);
        return line?.Status switch
        {
            null => CheckResult.NotApplicable,
            CheckStatus.Ok => CheckResult.Ok,
            CheckStatus.Warn => CheckResult.Warn(Hint(line)),
            _ => CheckResult.Fail(Hint(line)),
        };
    }

    private static async Task<IReadOnlyList<IdentityCheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var material = await IdentityCheckSource.ReadMaterialAsync(context.Kubernetes, context.Cli.ControlPlaneNamespace, cancellationToken).ConfigureAwait(false);
        var proxies = context.Options.Proxy ? await ProxyCertificateProbe.ProbeAsync(context, cancellationToken).ConfigureAwait(false) : [];
        return IdentityChecks.Run(material, proxies, context.Cli.Time.GetUtcNow());
    }

    /// <summary>What is wrong, then what to do, on the one hint line.</summary>
    private static string Hint(IdentityCheckResult line) => string.Join("; ", new[] { line.Message, line.Hint }.OfType<string>());
}
