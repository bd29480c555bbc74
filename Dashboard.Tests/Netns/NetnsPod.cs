using System.Net;
using Dashboard.Tests.Packaging;

namespace Dashboard.Tests.Netns;

/// <summary>A pod of a <see cref="NetnsCluster"/>: its own network namespace, with <c>eth0</c> on the node's bridge.</summary>
internal sealed class NetnsPod
{
    private readonly NetnsCluster _cluster;

    internal NetnsPod(NetnsCluster cluster, string name, string @namespace, string netns, IPAddress address)
    {
        _cluster = cluster;
        Name = name;
        Namespace = @namespace;
        Netns = netns;
        Address = address;
    }

    public string Name { get; }

    public string Namespace { get; }

    /// <summary>The network namespace's name, for <c>ip netns exec</c>.</summary>
    public string Netns { get; }

    public IPAddress Address { get; }

    public IPEndPoint EndPoint(int port) => new(Address, port);

    /// <summary>Runs a command in the pod's network namespace (as root, with the test's environment) to its end.</summary>
    public Task<ProcessResult> ExecAsync(IEnumerable<string> command, TimeSpan? timeout = null) =>
        Tool.RunAsync("ip", ["netns", "exec", Netns, .. command], timeout ?? TestTimeouts.Default);

    /// <summary>A listener on <paramref name="port"/> (all addresses unless <paramref name="address"/>) that answers with <paramref name="name"/>.</summary>
    public NetnsListener Listen(string name, int port, IPAddress? address = null) =>
        _cluster.Own(NetnsListener.Start(Netns, name, new IPEndPoint(address ?? IPAddress.Any, port)));

    /// <summary>Connects from this pod, as the test's user (root), and returns the answering listener's name.</summary>
    public Task<Answer> AskAsync(IPEndPoint to) => NetnsSocket.AskAsync(Netns, to);

    /// <summary>
    /// Connects from this pod in a separate process running as <paramref name="uid"/> (<c>setpriv</c>, as a container's
    /// runAsUser would) to <paramref name="host"/> (an address, or a name the pod's hosts file resolves) and returns the
    /// answering listener's name.
    /// </summary>
    public async Task<string> AskAsUserAsync(long uid, string host, int port)
    {
        var result = await ExecAsync([.. NetnsCommands.AsUser(uid), "bash", "-c", "exec 3<>\"/dev/tcp/$0/$1\" && head -n 1 <&3", host, port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(result.ExitCode == 0, $"connecting from {Name} as UID {uid} to {host}:{port} failed (exit code {result.ExitCode}): {result.Output}");
        return result.StandardOutput.Trim();
    }

    /// <summary>The pod's <c>nat</c> table as <c>iptables-save</c> prints it, without its timestamps and packet counters.</summary>
    public async Task<string> NatRulesAsync(string save = "iptables-save")
    {
        var result = await ExecAsync([save, "-t", "nat"]);
        Assert.True(result.ExitCode == 0, $"{save} in {Name}: {result.Output}");
        return string.Join('\n', result.StandardOutput.Split('\n')
            .Where(l => !l.StartsWith('#'))
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"\[\d+:\d+\]", "[0:0]")));
    }
}
