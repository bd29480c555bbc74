using Dashboard.Cli;

// Every command is a verb of the one executable (Cli/DashboardCli.cs); `dashboard serve` runs the web app.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl-C ends the verb cleanly; the process then exits with the verb's code.
    e.Cancel = true;
    stop.Cancel();
};
return await DashboardCli.RunAsync(args, CliConsole.System, stop.Token);

/// <summary>Entry point; public so integration tests can host the app.</summary>
public partial class Program;
