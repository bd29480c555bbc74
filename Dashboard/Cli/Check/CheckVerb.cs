using System.CommandLine;

namespace Dashboard.Cli.Check;

/// <summary>
/// <c>dashboard check [--pre] [--proxy]</c>: before install, whether the cluster is ready for the control plane; after,
/// whether the control plane, Prometheus and (with <c>--proxy</c>) every meshed pod's proxy work. Exit 1 when a check fails.
/// </summary>
internal sealed class CheckVerb : ICliVerb
{
    public Command Create(CliGlobals globals)
    {
        var pre = new Option<bool>("--pre") { Description = "Before install: is the cluster ready for the control plane" };
        var proxy = new Option<bool>("--proxy") { Description = "Also check the data plane: every meshed pod's proxy" };
        var ns = new Option<string?>("--namespace", "-n") { Description = "The data plane checks' namespace [default: all]", HelpName = "NAMESPACE" };
        var command = new Command("check", "Check that the cluster is ready for the control plane (--pre) or that the installed system works") { pre, proxy, ns };
        globals.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var options = new CheckOptions(parseResult.GetValue(pre), parseResult.GetValue(proxy), parseResult.GetValue(ns));
            if (options is { Pre: true, Proxy: true })
            {
                throw CommandException.Usage("--pre and --proxy: give at most one (there is no data plane before install)");
            }

            if (options.Namespace is { } name && !ResourceNames.IsDnsLabel(name))
            {
                throw CommandException.Usage($"--namespace '{name}' is not a namespace name (lower-case letters, digits and '-')");
            }

            var printer = new CheckPrinter(context.Console, context.Output);
            var success = await CheckRunner.RunAsync(CheckCatalog.Categories(options), new CheckContext(context, options), printer.ReportAsync, cancellationToken)
                .ConfigureAwait(false);
            await printer.FinishAsync(success).ConfigureAwait(false);
            return success ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
