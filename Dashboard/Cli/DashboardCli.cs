using System.CommandLine;
using System.CommandLine.Invocation;
using Parsing = System.CommandLine.Parsing;
using Dashboard.Cli.Check;
using Dashboard.Cli.Completion;
using Dashboard.Cli.Diagnose;
using Dashboard.Cli.Graph;
using Dashboard.Cli.Inject;
using Dashboard.Cli.Install;
using Dashboard.Cli.Open;
using Dashboard.Cli.Serve;
using Dashboard.Cli.Stat;
using Dashboard.Cli.Tap;
using Dashboard.Cli.Top;
using Dashboard.Cli.Version;

namespace Dashboard.Cli;

/// <summary>
/// The <c>dashboard</c> executable: one verb per command (<see cref="Verbs"/>). Program.cs only calls <see cref="RunAsync"/>;
/// tests call it with their own <see cref="CliConsole"/> to run a verb in-process.
/// </summary>
public static class DashboardCli
{
    /// <summary>
    /// The verbs, in the order help lists them. <c>install</c> joins this list as a
    /// further <see cref="ICliVerb"/>s.
    /// </summary>
    public static IReadOnlyList<ICliVerb> Verbs { get; } =
    [
        new CheckVerb(),
        new StatVerb(),
        new TopVerb(),
        new DiagnoseVerb(),
        new GraphVerb(),
        new TapVerb(),
        new InjectVerb(),
        new InstallVerb(),
        new OpenVerb(),
        new VersionVerb(),
        new ServeVerb(),
        new CompletionVerb(),
    ];

    /// <summary>Runs one command line; returns its exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var root = CreateRoot(new CliGlobals(console));
        var parseResult = root.Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            // "Required command was not provided" only adds noise next to the real mistake (an unknown verb).
            var errors = parseResult.Errors.Count > 1 && parseResult.CommandResult.Command == root
                ? parseResult.Errors.Where(e => e.SymbolResult is not Parsing.CommandResult).ToList()
                : [.. parseResult.Errors];
            foreach (var error in errors.Count > 0 ? errors : parseResult.Errors)
            {
                await console.Error.WriteLineAsync("error: " + error.Message).ConfigureAwait(false);
            }

            var verb = parseResult.CommandResult.Command;
            var help = verb == root ? $"{root.Name} --help" : $"{root.Name} {verb.Name} --help";
            await console.Error.WriteLineAsync($"Run '{help}' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
            // Ctrl-C is the caller's to handle (Program.cs cancels the token); tests run verbs in-process.
            ProcessTerminationTimeout = null,
        };
        return await parseResult.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The command tree; public so that <c>completion</c> and tests can walk it.</summary>
    public static RootCommand CreateRoot(CliGlobals globals)
    {
        ArgumentNullException.ThrowIfNull(globals);
        var root = new RootCommand("Service-mesh observability: check the cluster, inject the proxy, see the traffic.");
        foreach (var option in globals.All)
        {
            root.Options.Add(option);
        }

        foreach (var verb in Verbs)
        {
            root.Subcommands.Add(verb.Create(globals));
        }

        return root;
    }
}
