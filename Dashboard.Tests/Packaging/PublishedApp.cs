using System.Diagnostics;

namespace Dashboard.Tests.Packaging;

/// <summary>
/// A published output started as its image starts it: the Dockerfile's command, in its working directory, with the
/// image's environment and the overrides a <c>docker run -e</c> would give; nothing inherited that a container lacks.
/// </summary>
internal static class PublishedApp
{
    /// <param name="baseImage">What the base image sets before the Dockerfile's ENV (the aspnet images set ASPNETCORE_HTTP_PORTS).</param>
    public static CapturedProcess Start(Dockerfile dockerfile, string directory, IReadOnlyDictionary<string, string> baseImage, IReadOnlyDictionary<string, string> overrides) =>
        CapturedProcess.Start(Container(dockerfile.Command, directory, dockerfile, baseImage, overrides));

    /// <summary>Runs the image's HEALTHCHECK as the engine does: in the container's environment, to its end.</summary>
    public static Task<ProcessResult> CheckHealthAsync(Dockerfile dockerfile, string directory, IReadOnlyDictionary<string, string> baseImage, IReadOnlyDictionary<string, string> overrides) =>
        CapturedProcess.RunAsync(Container(dockerfile.HealthCheckCommand, directory, dockerfile, baseImage, overrides), TestTimeouts.Default);

    private static ProcessStartInfo Container(IReadOnlyList<string> command, string directory, Dockerfile dockerfile,
        IReadOnlyDictionary<string, string> baseImage, IReadOnlyDictionary<string, string> overrides)
    {
        var info = new ProcessStartInfo(command[0]) { WorkingDirectory = directory };
        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MESH_PROXY_", StringComparison.Ordinal) || k.StartsWith("Dashboard__", StringComparison.Ordinal)
            || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_", StringComparison.Ordinal) || k.StartsWith("KUBERNETES_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in baseImage.Concat(dockerfile.Environment).Concat(overrides))
        {
            info.Environment[key] = value;
        }

        return info;
    }
}
