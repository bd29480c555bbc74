using System.CommandLine;
using System.Globalization;
using Dashboard.Model;

namespace Dashboard.Cli.Stat;

/// <summary>
/// <c>dashboard stat TYPE [NAME...] | TYPE/NAME...</c>: the dashboard's stat table in the terminal, for the same
/// window and with the same numbers (<see cref="StatQuery"/>).
/// </summary>
internal sealed class StatVerb : ICliVerb
{
    public Command Create(CliGlobals globals)
    {
        var resources = new Argument<string[]>("resources")
        {
            Description = $"TYPE [NAME...] or TYPE/NAME...; TYPE is {ResourceTypes.Expected}",
            Arity = ArgumentArity.OneOrMore,
            HelpName = "TYPE [NAME...]",
        };
        resources.CompletionSources.Add([.. WorkloadKindExtensions.InCliOrder.Select(k => k.ShortName()), ResourceTypes.AllTypes]);
        var ns = new Option<string?>("--namespace", "-n") { Description = "The namespace [default: the kubeconfig context's, else default]", HelpName = "NAMESPACE" };
        var allNamespaces = new Option<bool>("--all-namespaces", "-A") { Description = "Every namespace (adds a NAMESPACE column)" };
        var window = new Option<string>("--time-window", "-t") { Description = "The window the numbers cover: 15s, 1m, 5m, 1h, …", DefaultValueFactory = _ => StatWindow.Default.ToString(), HelpName = "WINDOW" };
        var at = new Option<string?>("--at") { Description = "End the window at this time (RFC 3339 or Unix seconds) instead of now", HelpName = "TIME" };
        var from = new Option<string?>("--from") { Description = "Only traffic from this resource (TYPE/NAME): its destinations", HelpName = "RESOURCE" };
        var to = new Option<string?>("--to") { Description = "Only traffic to this resource (TYPE/NAME): its callers", HelpName = "RESOURCE" };
        var selector = new Option<string?>("--selector", "-l") { Description = "A Kubernetes label selector, such as app=web,tier!=db", HelpName = "SELECTOR" };
        var unmeshed = new Option<bool>("--unmeshed") { Description = "Also list resources without a meshed pod" };
        var compare = new Option<string?>("--compare")
        {
            Description = "Print each number beside its value in another window of the same length: previous (the one just before) or the one ending at TIME (RFC 3339)",
            HelpName = "previous|TIME",
        };
        var command = new Command("stat", "Success rate, requests per second, latency percentiles and mTLS share of resources, as on the dashboard")
        {
            resources, ns, allNamespaces, window, at, from, to, selector, unmeshed, compare,
        };
        globals.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var namespaceName = parseResult.GetValue(ns);
            if (namespaceName is not null && !ResourceNames.IsDnsLabel(namespaceName))
            {
                throw CommandException.Usage($"--namespace '{namespaceName}' is not a namespace name (lower-case letters, digits and '-')");
            }

            var scope = parseResult.GetValue(allNamespaces) ? null : namespaceName ?? context.DefaultNamespace;
            var request = new StatRequest(
                StatTarget.Parse(parseResult.GetValue(resources) ?? []),
                scope,
                ParseWindow(parseResult.GetValue(window)),
                ParseTime(parseResult.GetValue(at)),
                ParseEdge(parseResult.GetValue(from), parseResult.GetValue(to), scope ?? context.DefaultNamespace),
                parseResult.GetValue(selector),
                parseResult.GetValue(unmeshed),
                ParseCompare(parseResult.GetValue(compare)));
            var results = await StatQuery.RunAsync(context, request, cancellationToken).ConfigureAwait(false);
            await StatPrinter.WriteAsync(context, request, results).ConfigureAwait(false);
            return results.Any(r => r.Missing.Count > 0) ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static StatWindow ParseWindow(string? text) => StatWindow.TryParse(text, out var window)
        ? window
        : throw CommandException.Usage($"--time-window '{text}' is not a window: write {StatWindow.Expected}");

    private static CompareWindow? ParseCompare(string? text) => text is null
        ? null
        : CompareWindow.TryParse(text, out var other)
            ? other
            : throw CommandException.Usage($"--compare '{text}' is not {CompareWindow.Expected}");

    internal static DateTimeOffset? ParseTime(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return TimeText.TryParse(text, out var time)
            ? time
            : throw CommandException.Usage($"--at '{text}' is not a time: write RFC 3339 (2025-06-01T10:30:00Z) or Unix seconds");
    }

    private static StatEdge? ParseEdge(string? from, string? to, string @namespace)
    {
        if (from is not null && to is not null)
        {
            throw CommandException.Usage($"--from '{from}' and --to '{to}': give at most one");
        }

        if ((from ?? to) is not { } word)
        {
            return null;
        }

        var (kind, name) = StatTarget.ParseTypeName(word);
        var key = kind == WorkloadKind.Namespace ? ResourceKey.ForNamespace(name) : new ResourceKey(kind, @namespace, name);
        return new StatEdge(key, to is not null ? EdgeDirection.Inbound : EdgeDirection.Outbound);
    }
}
