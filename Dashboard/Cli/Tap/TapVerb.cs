using System.CommandLine;

namespace Dashboard.Cli.Tap;

/// <summary>
/// <c>dashboard tap TYPE/NAME</c>: the live stream of the resource's requests, one line per event in Linkerd's
/// format (<see cref="TapLines"/>), until Ctrl-C or <c>--duration</c>; both end it with exit 0.
/// </summary>
internal sealed class TapVerb : ICliVerb
{
    public Command Create(CliGlobals globals)
    {
        var arguments = new TapArguments();
        var command = new Command("tap", "Watch the requests of a resource live: one line per request, response and end (-o wide adds resources, -o json one object per line)");
        arguments.AddTo(command);
        globals.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            // Headers only where they are printed (JSON); the proxies redact credentials either way.
            var tap = arguments.Parse(parseResult, context, extractHeaders: context.Output == OutputFormat.Json);
            var run = await TapRun.StartAsync(context, tap, cancellationToken).ConfigureAwait(false);
            await using (run.ConfigureAwait(false))
            {
                var lines = new TapLines(run.Peers);
                var output = context.Console.Out;
                await run.RunAsync(async batch =>
                {
                    foreach (var tapped in batch)
                    {
                        await output.WriteLineAsync(lines.Format(tapped, context.Output)).ConfigureAwait(false);
                    }

                    await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                }, tap.Duration, cancellationToken).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
