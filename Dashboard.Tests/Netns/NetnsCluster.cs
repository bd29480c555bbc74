using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Dashboard.Tests.Packaging;

namespace Dashboard.Tests.Netns;

/// <summary>
/// A small cluster built on this machine from network namespaces (as root): a node namespace holding a bridge and the
/// Services' kube-proxy-style DNAT rules, and one namespace per pod, its <c>eth0</c> a veth pair into the bridge. Pods
/// get addresses in 198.18.0.0/16 and Services ClusterIPs in 198.19.0.0/16 (198.18.0.0/15 is the benchmarking range,
/// never a real host); names resolve through <c>/etc/netns/&lt;pod&gt;/hosts</c>, which <c>ip netns exec</c> mounts.
/// Everything lives in namespaces this cluster owns, named by the test process's id and a sequence number, so clusters
/// of parallel test classes and of a concurrent run never meet and the machine's own namespace is left alone.
/// Disposing deletes it all; creating one first deletes what a run that has died left behind.
/// </summary>
internal sealed partial class NetnsCluster : IAsyncDisposable
{
    /// <summary>Every namespace of every cluster starts with this, then the creating process's id.</summary>
    public const string Prefix = "dtnet-";

    private const string Bridge = "cbr0";
    /// <summary>The node's address on the bridge, every pod's gateway: what the node serves pods (e.g. a Kubernetes API) listens here.</summary>
    internal static readonly IPAddress Gateway = IPAddress.Parse("198.18.0.1");
    private static int _sequence;

    private readonly string _id;
    private readonly List<NetnsPod> _pods = [];
    private readonly List<NetnsService> _services = [];
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly Lock _lock = new();

    private NetnsCluster(string id) => _id = id;

    /// <summary>The namespace playing the node: bridge, routes between pods, Services' NAT rules.</summary>
    public string Node => $"{_id}-node";

    public static async Task<NetnsCluster> CreateAsync()
    {
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("the network-namespace tests need root (CI runs them as root): run ./test.sh as root");
        }

        await SweepLeftoversAsync();
        var cluster = new NetnsCluster($"{Prefix}{Environment.ProcessId}-{Interlocked.Increment(ref _sequence)}");
        try
        {
            await cluster.BuildNodeAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Adds a pod: a namespace with loopback, <c>eth0</c> at the next free address, and a route through the node.</summary>
    public async Task<NetnsPod> AddPodAsync(string name, string @namespace = "default")
    {
        if (!DnsLabel().IsMatch(name) || !DnsLabel().IsMatch(@namespace))
        {
            throw new ArgumentException($"'{@namespace}/{name}': pod and namespace names are DNS labels (a-z, 0-9, '-')", nameof(name));
        }

        NetnsPod pod;
        int index;
        lock (_lock)
        {
            index = _pods.Count;
            pod = new NetnsPod(this, name, @namespace, $"{_id}-{name}", Offset(Gateway, index + 1));
            _pods.Add(pod);
        }

        var veth = $"veth{index}";
        await IpAsync("netns", "add", pod.Netns);
        WriteHosts(pod);
        await IpAsync("-n", pod.Netns, "link", "set", "lo", "up");
        await IpAsync("-n", Node, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", pod.Netns);
        await IpAsync("-n", Node, "link", "set", veth, "master", Bridge, "up");
        // Hairpin, as kubelet sets it: a pod calling its own Service gets its packets back through the port they came in by.
        await IpAsync("-n", Node, "link", "set", veth, "type", "bridge_slave", "hairpin", "on");
        // A /32 with everything routed through the node, as Calico does: pod-to-pod traffic passes the node's NAT too,
        // so a reply from a Service's endpoint is un-DNATed on its way back.
        await IpAsync("-n", pod.Netns, "addr", "add", $"{pod.Address}/32", "dev", "eth0");
        await IpAsync("-n", pod.Netns, "link", "set", "eth0", "up");
        await IpAsync("-n", pod.Netns, "route", "add", Gateway.ToString(), "dev", "eth0");
        await IpAsync("-n", pod.Netns, "route", "add", "default", "via", Gateway.ToString(), "dev", "eth0");
        return pod;
    }

    /// <summary>
    /// Adds a Service: the next ClusterIP, and in the node the chains kube-proxy writes in iptables mode (KUBE-SERVICES,
    /// one KUBE-SVC- per service port choosing an endpoint at random, one KUBE-SEP- per endpoint that DNATs to it).
    /// </summary>
    public async Task<NetnsService> AddServiceAsync(string name, string @namespace, int port, int targetPort, params NetnsPod[] endpoints)
    {
        NetnsService service;
        lock (_lock)
        {
            service = new NetnsService(name, @namespace, Offset(IPAddress.Parse("198.19.0.0"), _services.Count + 10), port);
            _services.Add(service);
        }

        var portName = $"{@namespace}/{name}:{port.ToString(CultureInfo.InvariantCulture)}";
        var svcChain = "KUBE-SVC-" + Hash(portName);
        await NodeNatAsync("-N", svcChain);
        await NodeNatAsync("-A", "KUBE-SERVICES", "-d", $"{service.ClusterIP}/32", "-p", "tcp", "-m", "comment", "--comment", $"{portName} cluster IP",
            "-m", "tcp", "--dport", Text(port), "-j", svcChain);
        for (var i = 0; i < endpoints.Length; i++)
        {
            var endpoint = endpoints[i].EndPoint(targetPort);
            var sepChain = "KUBE-SEP-" + Hash(portName + endpoint);
            await NodeNatAsync("-N", sepChain);
            await NodeNatAsync("-A", sepChain, "-s", $"{endpoint.Address}/32", "-j", "KUBE-MARK-MASQ"); // a pod calling its own Service
            await NodeNatAsync("-A", sepChain, "-p", "tcp", "-m", "tcp", "-j", "DNAT", "--to-destination", endpoint.ToString());
            // Endpoint i of n is taken with probability 1/(n-i), so each gets an equal share; the last always matches.
            string[] pick = i < endpoints.Length - 1
                ? ["-m", "statistic", "--mode", "random", "--probability", (1.0 / (endpoints.Length - i)).ToString("0.00000000000", CultureInfo.InvariantCulture)]
                : [];
            await NodeNatAsync(["-A", svcChain, "-m", "comment", "--comment", $"{portName} -> {endpoint}", .. pick, "-j", sepChain]);
        }

        List<NetnsPod> pods;
        lock (_lock)
        {
            pods = [.. _pods];
        }

        foreach (var pod in pods)
        {
            WriteHosts(pod);
        }

        return service;
    }

    /// <summary>Disposes <paramref name="resource"/> with the cluster, before its namespaces go.</summary>
    internal T Own<T>(T resource) where T : IAsyncDisposable
    {
        lock (_lock)
        {
            _owned.Add(resource);
        }

        return resource;
    }

    public async ValueTask DisposeAsync()
    {
        List<IAsyncDisposable> owned;
        List<string> namespaces;
        lock (_lock)
        {
            owned = [.. _owned];
            namespaces = [.. _pods.Select(p => p.Netns), Node];
        }

        foreach (var resource in owned)
        {
            await resource.DisposeAsync();
        }

        foreach (var netns in namespaces)
        {
            await DeleteNamespaceAsync(netns);
        }
    }

    /// <summary>Deletes the namespaces (and hosts files) of clusters whose process is gone: a crashed or killed run's.</summary>
    public static async Task SweepLeftoversAsync()
    {
        var listed = await Tool.RunAsync("ip", ["netns", "list"], TestTimeouts.Default);
        var names = listed.StandardOutput.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0])
            .Concat(Directory.Exists("/etc/netns") ? Directory.GetDirectories("/etc/netns").Select(Path.GetFileName).OfType<string>() : [])
            .Distinct();
        foreach (var name in names)
        {
            if (OwnerPid().Match(name) is { Success: true } owner && !Directory.Exists($"/proc/{owner.Groups[1].Value}"))
            {
                await DeleteNamespaceAsync(name);
            }
        }
    }

    private async Task BuildNodeAsync()
    {
        await IpAsync("netns", "add", Node);
        await IpAsync("-n", Node, "link", "set", "lo", "up");
        // A bridge without an address of its own takes the lowest of its ports' and changes it when a pod joins; pods
        // that had learnt the gateway's old address then send into nothing until their neighbour entry goes stale.
        await IpAsync("-n", Node, "link", "add", Bridge, "address", "02:00:c6:12:00:01", "type", "bridge");
        await IpAsync("-n", Node, "addr", "add", $"{Gateway}/16", "dev", Bridge);
        await IpAsync("-n", Node, "link", "set", Bridge, "up");
        // The node routes between pods; redirects would tell a pod to skip the node (and its NAT), so none are sent.
        await RunAsync("ip", "netns", "exec", Node, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.send_redirects=0", $"net.ipv4.conf.{Bridge}.send_redirects=0");
        await NodeNatAsync("-N", "KUBE-SERVICES");
        await NodeNatAsync("-A", "PREROUTING", "-m", "comment", "--comment", "kubernetes service portals", "-j", "KUBE-SERVICES");
        await NodeNatAsync("-A", "OUTPUT", "-m", "comment", "--comment", "kubernetes service portals", "-j", "KUBE-SERVICES");
        await NodeNatAsync("-N", "KUBE-MARK-MASQ");
        await NodeNatAsync("-A", "KUBE-MARK-MASQ", "-j", "MARK", "--set-xmark", "0x4000/0x4000");
        await NodeNatAsync("-N", "KUBE-POSTROUTING");
        await NodeNatAsync("-A", "POSTROUTING", "-m", "comment", "--comment", "kubernetes postrouting rules", "-j", "KUBE-POSTROUTING");
        await NodeNatAsync("-A", "KUBE-POSTROUTING", "-m", "mark", "--mark", "0x4000/0x4000", "-j", "MASQUERADE");
    }

    /// <summary>The pod's /etc/hosts: itself, and every Service by its cluster DNS names (the short name within its namespace).</summary>
    private void WriteHosts(NetnsPod pod)
    {
        var hosts = new StringBuilder("127.0.0.1 localhost\n").Append(CultureInfo.InvariantCulture, $"{pod.Address} {pod.Name}\n");
        lock (_lock)
        {
            foreach (var service in _services)
            {
                var shortName = service.Namespace == pod.Namespace ? $" {service.Name}" : "";
                hosts.Append(CultureInfo.InvariantCulture, $"{service.ClusterIP} {service.Host} {service.Name}.{service.Namespace}.svc {service.Name}.{service.Namespace}{shortName}\n");
            }
        }

        var directory = Directory.CreateDirectory(Path.Combine("/etc/netns", pod.Netns)).FullName;
        File.WriteAllText(Path.Combine(directory, "hosts"), hosts.ToString());
        // A name not in hosts fails at once instead of waiting for a DNS server no pod can reach.
        File.WriteAllText(Path.Combine(directory, "resolv.conf"), "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
    }

    private static async Task DeleteNamespaceAsync(string netns)
    {
        await Tool.RunAsync("ip", ["netns", "delete", netns], TestTimeouts.Default); // already gone is fine
        var directory = Path.Combine("/etc/netns", netns);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private Task NodeNatAsync(params string[] args) => RunAsync(["ip", "netns", "exec", Node, "iptables", "-t", "nat", .. args]);

    private static Task IpAsync(params string[] args) => RunAsync(["ip", .. args]);

    private static async Task RunAsync(params string[] command)
    {
        var result = await Tool.RunAsync(command[0], command[1..], TestTimeouts.Default);
        Assert.True(result.ExitCode == 0, $"'{string.Join(' ', command)}' failed (exit code {result.ExitCode}): {result.Output}");
    }

    private static IPAddress Offset(IPAddress network, int offset)
    {
        var bytes = network.GetAddressBytes();
        BinaryPrimitives.WriteUInt32BigEndian(bytes, BinaryPrimitives.ReadUInt32BigEndian(bytes) + (uint)offset);
        return new IPAddress(bytes);
    }

    /// <summary>kube-proxy names chains by a hash of what they serve; 16 characters keep them under iptables' 28.</summary>
    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    private static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^dtnet-(\d+)-")]
    private static partial Regex OwnerPid();
}
