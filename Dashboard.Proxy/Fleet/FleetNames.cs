using System.Text;

namespace Dashboard.Proxy.Fleet;

/// <summary>
/// Kubernetes-like generated names (<c>ml-857d5d5786-q4pj9</c>), derived from a stable hash so a fleet
/// restarted from the same manifest has the same pods: links and bookmarks keep working.
/// </summary>
public static class FleetNames
{
    // Kubernetes' own alphabet for generated suffixes: no vowels (no words), no look-alikes.
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string PodTemplateHash(string @namespace, string deployment) => Encode(Fnv($"{@namespace}/{deployment}"), 10);

    public static string PodName(string @namespace, string deployment, int replica)
    {
        var hash = PodTemplateHash(@namespace, deployment);
        return $"{deployment}-{hash}-{Encode(Fnv($"{@namespace}/{deployment}/{replica}"), 5)}";
    }

    public static string Uid(string kind, string @namespace, string name)
    {
        var a = Fnv($"{kind}/{@namespace}/{name}");
        var b = Fnv($"{name}/{@namespace}/{kind}");
        return $"{a >> 32:x8}-{(a >> 16) & 0xffff:x4}-4{a & 0xfff:x3}-8{b >> 52 & 0xfff:x3}-{b & 0xffffffffffff:x12}";
    }

    private static string Encode(ulong value, int length)
    {
        var result = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            result.Append(Alphabet[(int)(value % (ulong)Alphabet.Length)]);
            value /= (ulong)Alphabet.Length;
            if (value == 0)
            {
                value = Fnv(result.ToString());
            }
        }

        return result.ToString();
    }

    private static ulong Fnv(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
