using System.Reflection;

namespace Dashboard.Hosting;

/// <summary>This build's version (the informational version without its source-revision suffix).</summary>
public static class BuildVersion
{
    public static string Current { get; } =
        typeof(BuildVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
