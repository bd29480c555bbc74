namespace Dashboard.Cli.Install;

/// <summary>
/// The control plane's manifests, docker/kubernetes/*.yaml, embedded in this assembly at build time (Dashboard.csproj),
/// so a published <c>dashboard</c> prints them without the repository.
/// </summary>
public static class ControlPlaneManifests
{
    private const string Prefix = "kubernetes/";

    /// <summary>File name and text, in file-name order: the order they apply in.</summary>
    public static IReadOnlyList<(string File, string Text)> Files { get; } = Load();

    private static List<(string File, string Text)> Load()
    {
        var assembly = typeof(ControlPlaneManifests).Assembly;
        var files = new List<(string, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            files.Add((name[Prefix.Length..], reader.ReadToEnd()));
        }

        return files.Count > 0 ? files : throw new InvalidOperationException("this build carries no control-plane manifests (docker/kubernetes was not embedded)");
    }
}
