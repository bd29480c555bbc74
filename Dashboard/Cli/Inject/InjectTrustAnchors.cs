using System.Security.Cryptography;
using Dashboard.Cli.Check;
using Dashboard.Contracts.Identity;

namespace Dashboard.Cli.Inject;

/// <summary>
/// The trust anchors inject writes into each proxy: from a file, or from the cluster's trust-roots ConfigMap (as
/// Linkerd's CLI read its configuration from the cluster). A proxy cannot read a ConfigMap of the control plane's
/// namespace from its own, so they travel in the manifest; without them inject fails rather than mesh without mTLS.
/// </summary>
internal static class InjectTrustAnchors
{
    /// <returns>The PEM, or null with <paramref name="disabled"/>.</returns>
    public static async Task<string?> ResolveAsync(CliContext context, string? file, bool disabled, CancellationToken cancellationToken)
    {
        if (disabled)
        {
            return file is null ? null : throw CommandException.Usage("--identity-trust-anchors-file and --disable-identity: give at most one");
        }

        string pem, what;
        if (file is not null)
        {
            what = $"--identity-trust-anchors-file '{file}'";
            try
            {
                pem = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw CommandException.Usage($"cannot read {what}: {e.Message}");
            }
        }
        else
        {
            var ns = context.ControlPlaneNamespace;
            what = $"ConfigMap {ns}/{IdentityResources.TrustRootsConfigMap}";
            var (found, problem) = await IdentityCheckSource.ReadTrustAnchorsAsync(context.KubernetesClient(), ns, cancellationToken).ConfigureAwait(false);
            pem = found ?? throw CommandException.Failed(
                $"the proxies need the mesh's trust anchors, and the cluster at {context.Kubernetes} did not give them ({problem}): " +
                "install the control plane first (dashboard install | kubectl apply -f -), or pass --identity-trust-anchors-file FILE, or --disable-identity");
        }

        try
        {
            MeshCertificates.ReadPem(pem, what);
        }
        catch (CryptographicException e)
        {
            throw file is null ? CommandException.Failed(e.Message) : CommandException.Usage(e.Message);
        }

        return pem.Trim() + "\n";
    }
}
