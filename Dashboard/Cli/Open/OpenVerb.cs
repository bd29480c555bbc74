using System.CommandLine;
using System.Net;
using System.Net.Sockets;

namespace Dashboard.Cli.Open;

/// <summary>
/// <c>dashboard open</c>: in a cluster, forwards <c>localhost:50750</c> (<c>--port</c>) to a ready pod of the
/// dashboard's Service through the Kubernetes API and opens the browser until Ctrl-C; locally, prints the URL
/// of the dashboard that ./run.sh or <c>dashboard serve</c> runs.
/// </summary>
internal sealed class OpenVerb : ICliVerb
{
    public Command Create(CliGlobals globals)
    {
        var port = new Option<int>("--port", "-p") { Description = "The local port to forward to the dashboard (0: any free port)", DefaultValueFactory = _ => ControlPlane.DefaultOpenPort, HelpName = "PORT" };
        var noBrowser = new Option<bool>("--no-browser") { Description = "Only print the URL" };
        var command = new Command("open", "Open the dashboard in the browser: port-forwards it from the cluster, or shows the local one") { port, noBrowser };
        globals.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var localPort = parseResult.GetValue(port);
            if (localPort is < 0 or > 65535)
            {
                throw CommandException.Usage($"--port '{localPort}' is not a port (0 to 65535)");
            }

            var browser = !parseResult.GetValue(noBrowser);
            return await ControlPlaneLocator.IsInClusterAsync(context, cancellationToken).ConfigureAwait(false)
                ? await ForwardAsync(context, localPort, browser, cancellationToken).ConfigureAwait(false)
                : await ShowLocalAsync(context, browser, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> ShowLocalAsync(CliContext context, bool browser, CancellationToken cancellationToken)
    {
        var (_, error) = await ControlPlaneLocator.DashboardVersionAsync(context, inCluster: false, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            throw CommandException.Failed($"no control plane in namespace {context.ControlPlaneNamespace} of the cluster, and {error}: " +
                "start it here (./run.sh) or install it (dashboard install | kubectl apply -f -)");
        }

        await ShowAsync(context, context.DashboardUrl, browser).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static async Task<int> ForwardAsync(CliContext context, int localPort, bool browser, CancellationToken cancellationToken)
    {
        var (pod, podPort) = await ControlPlaneLocator.DashboardPodAsync(context, cancellationToken).ConfigureAwait(false);
        var forwarder = new PortForwarder(context.KubernetesClient(), context.ControlPlaneNamespace, pod, podPort, new IPEndPoint(IPAddress.Loopback, localPort), context.Console.Error);
        await using (forwarder.ConfigureAwait(false))
        {
            try
            {
                forwarder.Start();
            }
            catch (SocketException e)
            {
                throw CommandException.Failed($"cannot listen on 127.0.0.1:{localPort} ({e.Message}): choose another port with --port");
            }

            await ShowAsync(context, new Uri($"http://localhost:{forwarder.LocalEndPoint.Port}/"), browser).ConfigureAwait(false);
            await context.Console.Error.WriteLineAsync($"Forwarding to pod {context.ControlPlaneNamespace}/{pod} port {podPort}; press Ctrl-C to stop.").ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C: the forward ends, and so does the command, successfully.
            }
        }

        return ExitCodes.Success;
    }

    private static async Task ShowAsync(CliContext context, Uri url, bool browser)
    {
        await context.Console.Out.WriteLineAsync($"Dashboard available at {url}").ConfigureAwait(false);
        if (browser && !BrowserLauncher.TryOpen(url))
        {
            await context.Console.Error.WriteLineAsync("No browser could be opened here; open the URL yourself.").ConfigureAwait(false);
        }
    }
}
