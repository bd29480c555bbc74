using System.Globalization;
using k8s.Models;
using static Dashboard.Proxy.Fleet.KubernetesApi.KubeTableFormat;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>The columns of <c>kubectl get svc|ep|endpointslices</c>.</summary>
internal static class NetworkTablePrinters
{
    public static KubeTablePrinter Service { get; } = KubeTablePrinter.Create<V1Service>(
    [
        KubeTableColumns.Name,
        new("Type", "The type of the service."),
        new("Cluster-IP", "The IP address of the service."),
        new("External-IP", "The external IP addresses of the service."),
        new("Port(s)", "The ports the service exposes."),
        KubeTableColumns.Age,
        new("Selector", "Route service traffic to pods with label keys and values matching this selector.", 1),
    ], static (svc, now) =>
    [
        svc.Metadata.Name,
        svc.Spec?.Type ?? "ClusterIP",
        svc.Spec?.ClusterIP is { Length: > 0 } ip ? ip : None,
        ExternalIp(svc),
        Ports(svc.Spec?.Ports),
        Age(svc.Metadata, now),
        Labels(svc.Spec?.Selector),
    ]);

    public static KubeTablePrinter Endpoints { get; } = KubeTablePrinter.Create<V1Endpoints>(
    [
        KubeTableColumns.Name,
        new("Endpoints", "Endpoints of the service."),
        KubeTableColumns.Age,
    ], static (ep, now) =>
    [
        ep.Metadata.Name,
        FirstThree([.. (ep.Subsets ?? []).SelectMany(Addresses)], None),
        Age(ep.Metadata, now),
    ]);

    public static KubeTablePrinter EndpointSlice { get; } = KubeTablePrinter.Create<V1EndpointSlice>(
    [
        KubeTableColumns.Name,
        new("AddressType", "The IP protocol family of the addresses."),
        new("Ports", "The ports of the endpoints."),
        new("Endpoints", "The addresses of the endpoints."),
        KubeTableColumns.Age,
    ], static (slice, now) =>
    [
        slice.Metadata.Name,
        slice.AddressType ?? "",
        slice.Ports is { Count: > 0 } ports
            ? string.Join(',', ports.Select(p => p.Port?.ToString(CultureInfo.InvariantCulture) ?? "<unset>"))
            : "<unset>",
        FirstThree([.. (slice.Endpoints ?? []).SelectMany(e => e.Addresses ?? [])], "<unset>"),
        Age(slice.Metadata, now),
    ]);

    private static string ExternalIp(V1Service svc)
    {
        var external = svc.Spec?.ExternalIPs ?? [];
        return svc.Spec?.Type switch
        {
            "ExternalName" => svc.Spec.ExternalName ?? None,
            "LoadBalancer" => (svc.Status?.LoadBalancer?.Ingress ?? [])
                .Select(i => i.Ip ?? i.Hostname)
                .Concat(external)
                .ToList() is { Count: > 0 } ingress ? string.Join(',', ingress) : "<pending>",
            _ => external.Count > 0 ? string.Join(',', external) : None,
        };
    }

    private static string Ports(IList<V1ServicePort>? ports) => ports is { Count: > 0 }
        ? string.Join(',', ports.Select(p => p.NodePort is { } node
            ? $"{p.Port}:{node}/{p.Protocol ?? "TCP"}"
            : $"{p.Port}/{p.Protocol ?? "TCP"}"))
        : None;

    private static IEnumerable<string> Addresses(V1EndpointSubset subset)
    {
        var ports = subset.Ports is { Count: > 0 } p ? p.Select(x => (int?)x.Port).ToList() : [null];
        return (subset.Addresses ?? []).SelectMany(a => ports.Select(port => port is null ? a.Ip : $"{a.Ip}:{port}"));
    }
}
