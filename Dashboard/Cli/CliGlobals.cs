using System.CommandLine;
using Dashboard.Configuration;
using Dashboard.Kubernetes;

namespace Dashboard.Cli;

/// <summary>
/// The options every verb accepts (given before or after the verb) and the console the verbs write to.
/// A verb turns them into a <see cref="CliContext"/> with <see cref="SetAction"/>.
/// </summary>
public sealed class CliGlobals
{
    /// <summary>Where a local system (./run.sh) serves the dashboard (README.md).</summary>
    public const string DefaultDashboardUrl = "http://127.0.0.1:8084";

    /// <summary>Where a local system serves Prometheus (README.md).</summary>
    public const string DefaultPrometheusUrl = "http://127.0.0.1:9090";

    public CliGlobals(CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        Console = console;
    }

    public CliConsole Console { get; }

    public Option<string?> Prometheus { get; } = new("--prometheus")
    {
        Description = $"Prometheus' HTTP API [default: {DefaultPrometheusUrl}]",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<string?> Server { get; } = new("--server", "-s")
    {
        Description = $"The Kubernetes API [default: {KubernetesSource.DefaultUrl}, the bundled fleet's]",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<string?> Kubeconfig { get; } = new("--kubeconfig")
    {
        Description = "A kubeconfig file to reach the Kubernetes API with (instead of --server)",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<string> Output { get; } = CreateOutput();

    public Option<string> ControlPlaneNamespace { get; } = new("--control-plane-namespace", "-L")
    {
        Description = "The namespace of the control plane in the cluster",
        HelpName = "NAMESPACE",
        DefaultValueFactory = _ => ControlPlane.DefaultNamespace,
        Recursive = true,
    };

    public Option<string?> DashboardUrl { get; } = new("--dashboard-url")
    {
        Description = $"A dashboard running outside the cluster (./run.sh, dashboard serve) [default: {DefaultDashboardUrl}]",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<string> Timeout { get; } = new("--timeout")
    {
        Description = "How long to wait for each answer from Kubernetes, Prometheus or the dashboard",
        HelpName = "DURATION",
        DefaultValueFactory = _ => "10s",
        Recursive = true,
    };

    public IEnumerable<Option> All => [Prometheus, Server, Kubeconfig, Output, ControlPlaneNamespace, DashboardUrl, Timeout];

    /// <summary>
    /// Runs <paramref name="run"/> as the verb's action with a resolved <see cref="CliContext"/>: a
    /// <see cref="CommandException"/> becomes its exit code and message on standard error.
    /// </summary>
    /// <param name="dot">Whether the verb prints <c>-o dot</c> (Graphviz); the others refuse it.</param>
    public void SetAction(Command command, Func<ParseResult, CliContext, CancellationToken, Task<int>> run, bool dot = false)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(run);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                var context = Resolve(parseResult);
                if (context.Output == OutputFormat.Dot && !dot)
                {
                    await context.DisposeAsync().ConfigureAwait(false);
                    throw CommandException.Usage($"--output dot is what graph prints; {command.Name} prints table, wide or json");
                }

                await using (context.ConfigureAwait(false))
                {
                    return await run(parseResult, context, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OutputClosedException)
            {
                // The reader took what it wanted (`| head -1`) and left: a clean end, as Ctrl-C is.
                return ExitCodes.Success;
            }
            catch (CommandException e)
            {
                await Console.Error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
                return e.ExitCode;
            }
            catch (Exception e) when (e is Metrics.PrometheusException or k8s.Autorest.HttpOperationException or k8s.KubernetesException or HttpRequestException)
            {
                // Prometheus or the Kubernetes API failed mid-command: say which and why, without a stack trace.
                await Console.Error.WriteLineAsync("error: " + Kubernetes.ConnectionTracker.Describe(e)).ConfigureAwait(false);
                return ExitCodes.Failure;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Failure;
            }
            catch (OperationCanceledException)
            {
                // Not the caller's cancellation: an HTTP client's timeout.
                await Console.Error.WriteLineAsync($"error: no answer within --timeout {parseResult.GetValue(Timeout)}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
    }

    /// <summary>The global options' meaning; every bad value is listed, each naming its option.</summary>
    public CliContext Resolve(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var problems = new ConfigProblems();
        var prometheus = parseResult.GetValue(Prometheus);
        var prometheusUrl = problems.HttpUrl(Prometheus.Name, prometheus ?? DefaultPrometheusUrl);
        var dashboardUrl = problems.HttpUrl(DashboardUrl.Name, parseResult.GetValue(DashboardUrl) ?? DefaultDashboardUrl);
        var kubernetes = ResolveKubernetes(parseResult.GetValue(Server), parseResult.GetValue(Kubeconfig), problems);
        var timeout = problems.Duration(Timeout.Name, parseResult.GetValue(Timeout));
        var controlPlane = parseResult.GetValue(ControlPlaneNamespace) ?? ControlPlane.DefaultNamespace;
        if (!ResourceNames.IsDnsLabel(controlPlane))
        {
            problems.Add(ControlPlaneNamespace.Name, controlPlane, "is not a namespace name (lower-case letters, digits and '-')");
        }

        if (problems.Messages.Count > 0)
        {
            throw CommandException.Usage(string.Join(Environment.NewLine + "error: ", problems.Messages));
        }

        return new CliContext(Console)
        {
            Output = Enum.Parse<OutputFormat>(parseResult.GetValue(Output)!, ignoreCase: true),
            Kubernetes = kubernetes!,
            PrometheusUrl = prometheusUrl!,
            PrometheusGiven = prometheus is not null,
            DashboardUrl = dashboardUrl!,
            ControlPlaneNamespace = controlPlane,
            Timeout = timeout!.Value,
        };
    }

    private KubernetesSource? ResolveKubernetes(string? server, string? kubeconfig, ConfigProblems problems)
    {
        if (server is not null && kubeconfig is not null)
        {
            problems.AddMessage($"{Server.Name} '{server}' and {Kubeconfig.Name} '{kubeconfig}': give at most one");
            return null;
        }

        if (kubeconfig is not null)
        {
            return KubernetesSourceParser.ParseKubeconfig(Kubeconfig.Name, kubeconfig, problems);
        }

        return server is null ? KubernetesSource.Default
            : problems.HttpUrl(Server.Name, server) is { } url ? KubernetesSource.FromUrl(url) : null;
    }

    private static Option<string> CreateOutput()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "How results are printed, where the verb prints results",
            HelpName = "table|wide|json|dot",
            DefaultValueFactory = _ => "table",
            Recursive = true,
        };
        option.AcceptOnlyFromAmong("table", "wide", "json", "dot");
        return option;
    }
}
