using System.Diagnostics;

namespace Dashboard.Tests.Cli;

/// <summary>The built <c>dashboard</c> executable as its own process, alone or in a shell pipeline.</summary>
public static class CliProcess
{
    /// <summary>The apphost the build puts next to the tests (the Dashboard project's output).</summary>
    public static string Executable => Path.Combine(AppContext.BaseDirectory, "dashboard");

    public static Task<CliRun> RunAsync(params string[] args) => StartAsync(Executable, args);

    /// <summary>
    /// Runs a bash pipeline with <c>dashboard</c> and kubectl on PATH, HOME and KUBECONFIG private to the run
    /// (so no config or discovery cache of the machine takes part).
    /// </summary>
    public static async Task<CliRun> PipelineAsync(string script)
    {
        var home = Directory.CreateTempSubdirectory("dashboard-cli-home-");
        try
        {
            var bin = Directory.CreateDirectory(Path.Combine(home.FullName, "bin"));
            File.CreateSymbolicLink(Path.Combine(bin.FullName, "dashboard"), Executable);
            await File.WriteAllTextAsync(Path.Combine(home.FullName, "config"), "apiVersion: v1\nkind: Config\n", TestTimeouts.Token);
            return await StartAsync("/bin/bash", ["-o", "pipefail", "-c", script], new()
            {
                ["HOME"] = home.FullName,
                ["KUBECONFIG"] = Path.Combine(home.FullName, "config"),
                ["PATH"] = $"{bin.FullName}:{Environment.GetEnvironmentVariable("PATH")}",
            });
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    private static async Task<CliRun> StartAsync(string file, string[] args, Dictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? [])
        {
            info.Environment[key] = value;
        }

        var run = await CapturedProcess.RunAsync(info, TestTimeouts.Slow);
        return new CliRun(run.ExitCode, run.StandardOutput, run.StandardError);
    }
}
