namespace Dashboard.Cli.Check;

/// <summary>The providers <c>check</c> runs, in order. Further checks join as another <see cref="ICheckProvider"/>.</summary>
public static class CheckCatalog
{
    public static IReadOnlyList<ICheckProvider> Providers { get; } =
    [
        new KubernetesApiChecks(),
        new KubernetesSetupChecks(),
        new ControlPlaneChecks(),
        new PrometheusChecks(),
        new DataPlaneChecks(),
        new IdentityHealthChecks(),
    ];

    public static IEnumerable<CheckCategory> Categories(CheckOptions options) =>
        Providers.SelectMany(p => p.Categories(options));
}
