using System.CommandLine;
using Dashboard.Cli.Tap;
using Dashboard.Contracts.Durations;

namespace Dashboard.Cli.Top;

/// <summary>
/// <c>dashboard top TYPE/NAME</c>: the resource's tapped requests aggregated by source, destination, method and path.
/// In a terminal a live table (redrawn at most <see cref="RedrawsPerSecond"/> times a second) until <c>q</c>, Ctrl-C
/// or <c>--duration</c>; without one, it collects for <c>--duration</c> (<see cref="PipeDuration"/> by default).
/// Either way it ends by printing the final table, exit 0.
/// </summary>
internal sealed class TopVerb : ICliVerb
{
    /// <summary>A few redraws a second keep the table readable as it moves; more only cost the terminal.</summary>
    public const int RedrawsPerSecond = 4;

    /// <summary>How long <c>top</c> collects when its output is not a terminal and no <c>--duration</c> is given.</summary>
    public static readonly TimeSpan PipeDuration = TimeSpan.FromSeconds(10);

    public Command Create(CliGlobals globals)
    {
        var arguments = new TapArguments();
        var command = new Command("top", $"Watch the requests of a resource aggregated by path, live (press q to quit); without a terminal, print the table after --duration [default: {DurationText.Format(PipeDuration)}]");
        arguments.AddTo(command);
        globals.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var tap = arguments.Parse(parseResult, context, extractHeaders: false);
            var live = context.Console.IsInteractive;
            var run = await TapRun.StartAsync(context, tap, cancellationToken).ConfigureAwait(false);
            var state = new TopState(run.Peers);
            await using (run.ConfigureAwait(false))
            {
                using var quit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var duration = tap.Duration ?? (live ? null : PipeDuration);
                var tapping = run.RunAsync(batch =>
                {
                    state.Add(batch);
                    return Task.CompletedTask;
                }, duration, quit.Token);
                if (live)
                {
                    using var screen = new TopScreen(context.Console.Out);
                    await RedrawAsync(state, screen, run.Query.ToCommandLine("top"), tapping, quit, context.Time).ConfigureAwait(false);
                }

                await tapping.ConfigureAwait(false);
            }

            var (table, requests) = state.Table();
            await table.WriteAsync(context.Console.Out).ConfigureAwait(false);
            if (requests == 0)
            {
                await context.Console.Error.WriteLineAsync($"no requests of {tap.Query.Target} in namespace {tap.Query.Namespace} completed while tapped").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Redraws when requests were added, at most <see cref="RedrawsPerSecond"/> times a second, until the tap ends or q.</summary>
    private static async Task RedrawAsync(TopState state, TopScreen screen, string title, Task tapping, CancellationTokenSource quit, TimeProvider time)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / RedrawsPerSecond), time);
        var drawn = -1L;
        while (!tapping.IsCompleted && await timer.WaitForNextTickAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (screen.QuitPressed())
            {
                await quit.CancelAsync().ConfigureAwait(false);
                return;
            }

            if (state.Version == drawn)
            {
                continue;
            }

            drawn = state.Version;
            var (table, requests) = state.Table(TopScreen.RowsThatFit);
            using var text = new StringWriter();
            await text.WriteLineAsync($"{title}   {requests} requests   (press q to quit)").ConfigureAwait(false);
            await table.WriteAsync(text).ConfigureAwait(false);
            screen.Draw(text.ToString());
        }
    }
}
