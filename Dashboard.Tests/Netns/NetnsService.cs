using System.Net;

namespace Dashboard.Tests.Netns;

/// <summary>A Service of a <see cref="NetnsCluster"/>: a ClusterIP and port that the node's NAT rules send to its endpoints.</summary>
internal sealed record NetnsService(string Name, string Namespace, IPAddress ClusterIP, int Port)
{
    /// <summary>The name pods resolve (through their <c>/etc/netns/&lt;pod&gt;/hosts</c>).</summary>
    public string Host => $"{Name}.{Namespace}.svc.cluster.local";

    public IPEndPoint EndPoint => new(ClusterIP, Port);
}
