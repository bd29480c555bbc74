using System.Globalization;
using Dashboard.Contracts.Proxy;
using k8s.Models;

namespace Dashboard.Cli.Inject;

/// <summary>
/// The init container inject adds: <c>Dashboard.Proxy init</c> from the proxy's image, which installs the NAT rules that
/// send the pod's TCP traffic through the proxy (Dashboard.Proxy/ProxyInit), with the flags of
/// <see cref="ProxyInitFlags"/> set to the ports the sidecar listens on and what the pod's annotations ask.
/// </summary>
public static class ProxyInitContainer
{
    /// <summary>Linkerd's name for it.</summary>
    public const string Name = "linkerd-init";

    /// <summary>iptables-legacy takes its lock in /run/xtables.lock, which a read-only root filesystem would refuse.</summary>
    public const string XtablesLockVolume = "linkerd-proxy-init-xtables-lock";

    public const string XtablesLockDirectory = "/run";

    public static V1Volume Volume => new() { Name = XtablesLockVolume, EmptyDir = new V1EmptyDirVolumeSource() };

    public static V1Container Container(InjectOptions options, PodProxyConfig config)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new V1Container
        {
            Name = Name,
            Image = ProxySidecar.Image(options),
            Args = Args(config),
            // The kubelet shows init's last message (e.g. that it lacks NET_ADMIN) in the pod's status.
            TerminationMessagePolicy = "FallbackToLogsOnError",
            VolumeMounts = [new V1VolumeMount { Name = XtablesLockVolume, MountPath = XtablesLockDirectory }],
            // Changing iptables rules takes root and NET_ADMIN, and iptables-legacy talks to the kernel over a raw socket (NET_RAW); nothing else.
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                Privileged = false,
                RunAsNonRoot = false,
                RunAsUser = 0,
                ReadOnlyRootFilesystem = true,
                Capabilities = new V1Capabilities { Add = ["NET_ADMIN", "NET_RAW"], Drop = ["ALL"] },
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
        };
    }

    /// <summary>
    /// <c>init</c> and its flags: the proxy's inbound and outbound ports and user, its tap and admin ports plus the
    /// annotated ones kept from the inbound redirect; outbound ports and subnets only when annotated.
    /// </summary>
    public static List<string> Args(PodProxyConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        PortRange[] proxyOwn = [new(ProxySidecar.TapPort, ProxySidecar.TapPort), new(ProxySidecar.AdminPort, ProxySidecar.AdminPort)];
        var args = new List<string>
        {
            ProxyInitFlags.Verb,
            ProxyInitFlags.IncomingProxyPort, Number(ProxySidecar.InboundPort),
            ProxyInitFlags.OutgoingProxyPort, Number(ProxySidecar.OutboundPort),
            ProxyInitFlags.ProxyUid, Number(ProxySidecar.ProxyUid),
            ProxyInitFlags.InboundPortsToIgnore, string.Join(',', proxyOwn.Concat(config.SkipInboundPorts).Distinct()),
        };
        if (config.SkipOutboundPorts.Count > 0)
        {
            args.AddRange([ProxyInitFlags.OutboundPortsToIgnore, string.Join(',', config.SkipOutboundPorts.Distinct())]);
        }

        if (config.SkipSubnets.Count > 0)
        {
            args.AddRange([ProxyInitFlags.SubnetsToIgnore, string.Join(',', config.SkipSubnets.Distinct())]);
        }

        return args;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
