using System.Net;
using Dashboard.Contracts.Proxy;
using YamlDotNet.RepresentationModel;

namespace Dashboard.Cli.Inject;

/// <summary>
/// What a pod template's <see cref="ProxyAnnotations"/> ask of its init container and proxy. As in Linkerd's injector,
/// only the pod template's annotations count, not the workload's own.
/// </summary>
public sealed record PodProxyConfig
{
    public IReadOnlyList<PortRange> SkipInboundPorts { get; init; } = [];

    public IReadOnlyList<PortRange> SkipOutboundPorts { get; init; } = [];

    public IReadOnlyList<IPNetwork> SkipSubnets { get; init; } = [];

    public IReadOnlyList<PortRange> OpaquePorts { get; init; } = [];

    /// <param name="annotations">The pod template's annotations.</param>
    /// <param name="path">Where they are in the document, for messages: <c>spec.template.metadata.annotations</c>.</param>
    /// <param name="invalid">Makes the error for a problem, naming the document and workload.</param>
    public static PodProxyConfig Read(YamlMappingNode annotations, string path, Func<string, InjectManifestException> invalid)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        ArgumentNullException.ThrowIfNull(invalid);
        return new PodProxyConfig
        {
            SkipInboundPorts = Ports(ProxyAnnotations.SkipInboundPorts),
            SkipOutboundPorts = Ports(ProxyAnnotations.SkipOutboundPorts),
            SkipSubnets = Value(ProxyAnnotations.SkipSubnets) is { } subnets
                ? Ipv4Networks.TryParseList(subnets, out var networks, out var error) ? networks : throw Problem(ProxyAnnotations.SkipSubnets, error!)
                : [],
            OpaquePorts = Ports(ProxyAnnotations.OpaquePorts),
        };

        IReadOnlyList<PortRange> Ports(string annotation) => Value(annotation) is { } text
            ? PortRange.TryParseList(text, out var ranges, out var error) ? ranges : throw Problem(annotation, error!)
            : [];

        string? Value(string annotation) => YamlNodes.Get(annotations, annotation) switch
        {
            null => null,
            YamlScalarNode scalar => scalar.Value,
            _ => throw Problem(annotation, "not a string; expected a comma-separated list, e.g. \"25,3306\""),
        };

        InjectManifestException Problem(string annotation, string problem) => invalid($"{path}[\"{annotation}\"]: {problem}");
    }
}
