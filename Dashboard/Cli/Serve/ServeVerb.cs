using System.CommandLine;
using Dashboard.Configuration;
using Dashboard.Hosting;
using Dashboard.Kubernetes;
using Microsoft.Extensions.Options;

namespace Dashboard.Cli.Serve;

/// <summary>
/// <c>dashboard serve [ASP.NET Core arguments]</c>: the web dashboard, as ./run.sh starts it. Unknown
/// arguments go to the host (<c>--urls</c>, <c>--contentRoot</c>, <c>--Dashboard:Prometheus:Url=…</c>); the
/// global <c>--prometheus</c>, <c>--server</c> and <c>--kubeconfig</c> set the same keys.
/// </summary>
internal sealed class ServeVerb : ICliVerb
{
    public Command Create(CliGlobals globals)
    {
        var command = new Command("serve", "Run the web dashboard (what ./run.sh starts); other arguments go to ASP.NET Core, e.g. --urls http://127.0.0.1:8084")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        globals.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var args = HostArguments(parseResult, globals, context);
            // The host takes a relative content root from the executable's directory, and fails on a missing one with a stack trace.
            if (ContentRoot(args) is { } root && !Directory.Exists(Path.Combine(AppContext.BaseDirectory, root)))
            {
                throw CommandException.Usage(Path.IsPathRooted(root)
                    ? $"--contentRoot '{root}' is not a directory"
                    : $"--contentRoot '{root}' is not a directory (a relative path is taken from the executable's directory, {AppContext.BaseDirectory})");
            }

            try
            {
                await DashboardWebApp.RunAsync(args, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (OptionsValidationException e)
            {
                // The configuration is the caller's input: every problem, each naming its key.
                foreach (var failure in e.Failures)
                {
                    await context.Console.Error.WriteLineAsync("error: " + failure).ConfigureAwait(false);
                }

                return ExitCodes.Usage;
            }
        });
        return command;
    }

    /// <summary>The host's own arguments, then the global options as configuration keys (the last value of a key wins).</summary>
    internal static string[] HostArguments(ParseResult parseResult, CliGlobals globals, CliContext context)
    {
        var args = parseResult.UnmatchedTokens.ToList();
        if (parseResult.GetValue(globals.Prometheus) is not null)
        {
            args.Add($"--{ConfigKeys.PrometheusUrl}={context.PrometheusUrl}");
        }

        if (parseResult.GetValue(globals.Server) is not null || parseResult.GetValue(globals.Kubeconfig) is not null)
        {
            var key = context.Kubernetes.Kind == KubernetesSourceKind.Kubeconfig ? ConfigKeys.KubernetesKubeconfig : ConfigKeys.KubernetesUrl;
            args.Add($"--{key}={context.Kubernetes.Location}");
        }

        return [.. args];
    }

    private static string? ContentRoot(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (string.Equals(args[i], "--contentRoot", StringComparison.OrdinalIgnoreCase) && i + 1 < args.Length)
            {
                return args[i + 1];
            }

            if (args[i].StartsWith("--contentRoot=", StringComparison.OrdinalIgnoreCase))
            {
                return args[i]["--contentRoot=".Length..];
            }
        }

        return null;
    }
}
