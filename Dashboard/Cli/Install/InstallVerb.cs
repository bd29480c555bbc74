using System.CommandLine;
using System.Text.RegularExpressions;
using Dashboard.Cli.Inject;
using Dashboard.Hosting;

namespace Dashboard.Cli.Install;

/// <summary>
/// <c>dashboard install</c>: the control plane's manifests (docker/kubernetes, in file order) as one YAML stream for
/// <c>kubectl apply -f -</c>, with a fresh trust anchor, issuer and tap token after the Namespace. Prints nothing when an
/// input is bad.
/// </summary>
internal sealed partial class InstallVerb : ICliVerb
{
    public Command Create(CliGlobals globals)
    {
        var ns = new Option<string?>("--namespace") { Description = "The control plane's namespace [default: -L, linkerd]", HelpName = "NAMESPACE" };
        var prometheus = new Option<string?>("--prometheus-url") { Description = "Bring your own Prometheus: leave the bundled one out and read this one", HelpName = "URL" };
        var anchors = new Option<string?>("--identity-trust-anchors-file") { Description = "PEM of the trust anchors [default: generate a new one]", HelpName = "FILE" };
        var certificate = new Option<string?>("--identity-issuer-certificate-file") { Description = "PEM of the issuer certificate, signed by a trust anchor", HelpName = "FILE" };
        var key = new Option<string?>("--identity-issuer-key-file") { Description = "PEM of the issuer's private key (ECDSA P-256)", HelpName = "FILE" };
        var command = new Command("install", "Print the control plane's Kubernetes manifests: dashboard install | kubectl apply -f -")
        {
            ns, prometheus, anchors, certificate, key,
        };
        globals.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var name = parseResult.GetValue(ns) ?? context.ControlPlaneNamespace;
            if (!ResourceNames.IsDnsLabel(name))
            {
                throw CommandException.Usage($"--namespace '{name}' is not a namespace name (lower-case letters, digits and '-')");
            }

            var url = parseResult.GetValue(prometheus) is { } text ? PrometheusUrl(text) : null;
            var (identity, warnings) = await IdentityAsync(context, parseResult.GetValue(anchors), parseResult.GetValue(certificate), parseResult.GetValue(key), cancellationToken)
                .ConfigureAwait(false);
            var options = new InstallOptions(name, url, BuildVersion.Current, identity, GeneratedObjects.NewTapToken());
            await context.Console.Out.WriteAsync(Render(options)).ConfigureAwait(false);
            foreach (var warning in warnings)
            {
                await context.Console.Error.WriteLineAsync("warning: " + warning).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The manifests for <paramref name="options"/>: each file adapted, the generated objects after the first (the Namespace).</summary>
    public static string Render(InstallOptions options)
    {
        var parts = new List<string>();
        foreach (var (file, text) in ControlPlaneManifests.Files)
        {
            var kept = 0;
            var edited = ManifestEditor.Edit(text, file, (_, root) =>
            {
                var edit = ControlPlaneRewriter.Rewrite(root, options);
                kept += edit == DocumentEdit.Drop ? 0 : 1;
                return edit;
            });
            if (kept > 0)
            {
                // When a file's first document is left out, the separator after it leads the rest.
                parts.Add(LeadingSeparator().Replace(edited, "").TrimEnd('\n') + "\n");
            }

            if (parts.Count == 1 && kept > 0)
            {
                parts.Add(GeneratedObjects.Yaml(options));
            }
        }

        return string.Join("---\n", parts);
    }

    private static Uri PrometheusUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Host.Length > 0
            ? url
            : throw CommandException.Usage($"--prometheus-url '{text}' is not a URL; expected http(s)://host:port, e.g. http://prometheus.monitoring.svc.cluster.local:9090");

    private static async Task<(InstallIdentity, IReadOnlyList<string>)> IdentityAsync(CliContext context, string? anchors, string? certificate, string? key,
        CancellationToken cancellationToken)
    {
        if (anchors is null && certificate is null && key is null)
        {
            return (InstallIdentity.Generate(context.Time.GetUtcNow()), []);
        }

        if (anchors is null || certificate is null || key is null)
        {
            throw CommandException.Usage("--identity-trust-anchors-file, --identity-issuer-certificate-file and --identity-issuer-key-file: give all three, or none to generate them");
        }

        return await InstallIdentity.LoadAsync(anchors, certificate, key, context.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    [GeneratedRegex(@"\A\s*---[ \t]*\n", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LeadingSeparator();
}
