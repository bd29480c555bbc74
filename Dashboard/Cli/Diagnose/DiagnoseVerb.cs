using System.CommandLine;
using Dashboard.Cli.Stat;
using Dashboard.Configuration;
using Dashboard.Investigation;
using Dashboard.Model;
using Dashboard.Services;

namespace Dashboard.Cli.Diagnose;

/// <summary>
/// <c>dashboard diagnose TYPE/NAME</c>: "why is it slow?" in the terminal, the dashboard's own investigation
/// (<see cref="IInvestigator"/>) over a lookback: the episodes where the resource left its baseline and their causes,
/// its outlier pods and where its P95 goes (<see cref="DiagnosePrinter"/>, <c>-o json</c> <see cref="DiagnosisJson"/>).
/// </summary>
internal sealed class DiagnoseVerb : ICliVerb
{
    public Command Create(CliGlobals globals)
    {
        var resource = new Argument<string[]>("resource")
        {
            Description = $"TYPE/NAME (or TYPE NAME) of one resource; TYPE is one of {string.Join(", ", WorkloadKindExtensions.InCliOrder.Select(k => k.ShortName()))} (or their kubectl names)",
            Arity = new ArgumentArity(1, 2),
            HelpName = "TYPE/NAME",
        };
        resource.CompletionSources.Add([.. WorkloadKindExtensions.InCliOrder.Select(k => k.ShortName())]);
        var ns = new Option<string?>("--namespace", "-n") { Description = "The resource's namespace [default: the kubeconfig context's, else default]", HelpName = "NAMESPACE" };
        var lookback = new Option<string>("--lookback")
        {
            Description = "How far back to look for episodes: 5m, 15m, 1h, …",
            DefaultValueFactory = _ => DashboardSettings.DefaultInvestigationLookback.ToString(),
            HelpName = "DURATION",
        };
        var at = new Option<string?>("--at") { Description = "End the lookback at this time (RFC 3339 or Unix seconds) instead of now", HelpName = "TIME" };
        var command = new Command("diagnose", "Why a resource is slow or failing: its latency and failure episodes with their causes, outlier pods and where its P95 goes")
        {
            resource, ns, lookback, at,
        };
        globals.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var key = ParseResource(parseResult.GetValue(resource) ?? [], parseResult.GetValue(ns), context.DefaultNamespace);
            var window = ParseLookback(parseResult.GetValue(lookback));
            var end = StatVerb.ParseTime(parseResult.GetValue(at));
            var investigator = await context.InvestigatorAsync(scrapeInterval: null, thresholds: null, cancellationToken).ConfigureAwait(false);
            await EnsureExistsAsync(context, key, cancellationToken).ConfigureAwait(false);
            var diagnosis = await investigator.InvestigateAsync(key, window, end, cancellationToken).ConfigureAwait(false);
            await DiagnosePrinter.WriteAsync(context, diagnosis).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary><c>deploy/web</c> or <c>deploy web</c>, in <c>-n</c>; <c>ns/NAME</c> is the namespace itself.</summary>
    internal static ResourceKey ParseResource(IReadOnlyList<string> words, string? @namespace, string defaultNamespace)
    {
        if (@namespace is not null && !ResourceNames.IsDnsLabel(@namespace))
        {
            throw CommandException.Usage($"--namespace '{@namespace}' is not a namespace name (lower-case letters, digits and '-')");
        }

        var word = words.Count switch
        {
            0 => throw CommandException.Usage("a resource is required: TYPE/NAME, such as deploy/web"),
            1 when !words[0].Contains('/', StringComparison.Ordinal) && ResourceTypes.TryParse(words[0], out _) =>
                throw CommandException.Usage($"'{words[0]}' names no resource: write TYPE/NAME, such as {words[0]}/web"),
            1 => words[0],
            _ when words[0].Contains('/', StringComparison.Ordinal) =>
                throw CommandException.Usage($"'{words[1]}': give one resource, TYPE/NAME or TYPE NAME"),
            _ => $"{words[0]}/{words[1]}",
        };
        var (kind, name) = StatTarget.ParseTypeName(word);
        if (!ResourceNames.IsDnsSubdomain(name))
        {
            throw CommandException.Usage($"'{word}': '{name}' is not a resource name (lower-case letters, digits, '-' and '.')");
        }

        if (kind != WorkloadKind.Namespace)
        {
            return new ResourceKey(kind, @namespace ?? defaultNamespace, name);
        }

        return @namespace is null || @namespace == name
            ? ResourceKey.ForNamespace(name)
            : throw CommandException.Usage($"'{word}' and --namespace '{@namespace}': a namespace is its own scope, give at most one");
    }

    private static StatWindow ParseLookback(string? text) => StatWindow.TryParse(text, out var window)
        ? window
        : throw CommandException.Usage($"--lookback '{text}' is not a lookback: write {StatWindow.Expected}");

    // An investigation of a name that does not exist would only say "no requests"; say what is wrong instead, as stat does.
    private static async Task EnsureExistsAsync(CliContext context, ResourceKey key, CancellationToken cancellationToken)
    {
        var inventory = await context.InventoryAsync(cancellationToken).ConfigureAwait(false);
        var scope = key.Kind == WorkloadKind.Namespace ? null : key.Namespace;
        if (!StatTableService.Rows(inventory.Current, key.Kind, scope).Any(r => r.Name == key.Name))
        {
            var where = key.Kind == WorkloadKind.Namespace ? "" : $" in namespace \"{key.Namespace}\"";
            throw CommandException.Failed($"{key.Kind.SingularName()} \"{key.Name}\" not found{where}");
        }
    }
}
