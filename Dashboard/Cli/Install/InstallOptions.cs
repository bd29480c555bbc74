namespace Dashboard.Cli.Install;

/// <param name="Namespace">The control plane's namespace.</param>
/// <param name="PrometheusUrl">A Prometheus the user brings (its objects are left out), or null for the bundled one.</param>
/// <param name="Version">The tag of the dashboard's and the proxy's images: the CLI's version.</param>
/// <param name="Identity">The trust anchors and issuer written into the trust-roots ConfigMap and the issuer Secret.</param>
/// <param name="TapToken">The token of the tap-token Secret, which the dashboard presents to the proxies' tap.</param>
public sealed record InstallOptions(string Namespace, Uri? PrometheusUrl, string Version, InstallIdentity Identity, string TapToken);
