using System.Globalization;
using k8s;
using k8s.Models;

namespace Dashboard.Cli.Check;

/// <summary><c>kubernetes-api</c>: a client can be built, the API answers, and it is recent enough. Always run, always first.</summary>
public sealed class KubernetesApiChecks : ICheckProvider
{
    public const string Category = "kubernetes-api";

    /// <summary>
    /// The proxy discovers destinations through EndpointSlices of <c>discovery.k8s.io/v1</c>, which became
    /// generally available in Kubernetes 1.21.
    /// </summary>
    public static readonly System.Version MinimumVersion = new(1, 21);

    private const string VersionFact = "kubernetes-api.version";

    public IEnumerable<CheckCategory> Categories(CheckOptions options) =>
    [
        new(Category,
        [
            new("can initialize the client", InitializeAsync) { Fatal = true },
            new("can query the Kubernetes API", QueryAsync) { Fatal = true },
            new("is running the minimum Kubernetes API version", VersionAsync),
        ]),
    ];

    private static Task<CheckResult?> InitializeAsync(CheckContext context, CancellationToken cancellationToken)
    {
        _ = context.Kubernetes;
        return Task.FromResult<CheckResult?>(CheckResult.Ok);
    }

    private static async Task<CheckResult?> QueryAsync(CheckContext context, CancellationToken cancellationToken)
    {
        try
        {
            var version = await context.Kubernetes.Version.GetCodeAsync(cancellationToken).ConfigureAwait(false);
            context.Set(VersionFact, version);
            return CheckResult.Ok;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return CheckResult.Fail($"the Kubernetes API at {context.Cli.Kubernetes} did not answer: {Kubernetes.ConnectionTracker.Describe(e)}; pass --server URL or --kubeconfig FILE");
        }
    }

    private static Task<CheckResult?> VersionAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var info = context.Get<VersionInfo>(VersionFact);
        var version = Parse(info);
        CheckResult result = version is null
            ? CheckResult.Fail($"the API reports no usable version (major '{info?.Major}', minor '{info?.Minor}')")
            : version < MinimumVersion
                ? CheckResult.Fail($"the API runs Kubernetes {version}; the proxy needs {MinimumVersion} or later (EndpointSlices, discovery.k8s.io/v1)")
                : CheckResult.Ok;
        return Task.FromResult<CheckResult?>(result);
    }

    /// <summary>Major and minor as the API reports them; managed clusters write minor as "29+".</summary>
    public static System.Version? Parse(VersionInfo? info) =>
        info is not null
        && int.TryParse(info.Major, NumberStyles.None, CultureInfo.InvariantCulture, out var major)
        && int.TryParse(info.Minor?.TrimEnd('+'), NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            ? new System.Version(major, minor)
            : null;
}
