using System.CommandLine;
using Dashboard.Cli.Stat;
using Dashboard.Graph;
using Dashboard.Model;

namespace Dashboard.Cli.Graph;

/// <summary>
/// <c>dashboard graph [-n NS | -A]</c>: who calls whom, the dashboard's service graph in the terminal. A table of edges
/// (<c>-o wide</c> adds P50, P99 and TCP bytes), or the export's contract itself: <c>-o json</c> as
/// <c>/export/graph.json</c>, <c>-o dot</c> for Graphviz (<c>dashboard graph -A -o dot | dot -Tsvg &gt; mesh.svg</c>).
/// </summary>
internal sealed class GraphVerb : ICliVerb
{
    public Command Create(CliGlobals globals)
    {
        var ns = new Option<string[]>("--namespace", "-n")
        {
            Description = "The namespaces whose workloads to show, with what they exchange traffic with (repeat, or join with ',') [default: the kubeconfig context's, else default]",
            HelpName = "NAMESPACE",
            AllowMultipleArgumentsPerToken = false,
        };
        var allNamespaces = new Option<bool>("--all-namespaces", "-A") { Description = "The whole mesh" };
        var window = new Option<string>("--time-window", "-t") { Description = "The window the numbers cover: 15s, 1m, 5m, 1h, …", DefaultValueFactory = _ => StatWindow.Default.ToString(), HelpName = "WINDOW" };
        var pods = new Option<bool>("--pods") { Description = "Pod nodes instead of workloads" };
        var idle = new Option<bool>("--idle") { Description = "Also the meshed workloads and edges that moved no traffic in the window" };
        var command = new Command("graph", "Who calls whom: the mesh's edges with their requests per second, success rate, P95 and mTLS")
        {
            ns, allNamespaces, window, pods, idle,
        };
        globals.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var namespaces = parseResult.GetValue(ns) ?? [];
            var all = parseResult.GetValue(allNamespaces);
            if (all && namespaces.Length > 0)
            {
                throw CommandException.Usage("--all-namespaces and --namespace: give at most one");
            }

            var joined = all ? "" : namespaces.Length > 0 ? string.Join(",", namespaces) : context.DefaultNamespace;
            var (request, problem) = GraphQuery.Parse(joined, parseResult.GetValue(window),
                parseResult.GetValue(pods) ? "true" : null, parseResult.GetValue(idle) ? "true" : null, ns.Name, window.Name);
            if (request is null)
            {
                throw CommandException.Usage(problem!);
            }

            var inventory = await context.InventoryAsync(cancellationToken).ConfigureAwait(false);
            var graphs = new GraphService(context.Metrics, inventory, context.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<GraphService>.Instance);
            var graph = await graphs.GetAsync(request, cancellationToken).ConfigureAwait(false);
            await GraphPrinter.WriteAsync(context, request, graph).ConfigureAwait(false);
            return ExitCodes.Success;
        }, dot: true);
        return command;
    }
}
