namespace Dashboard.Tests.Infrastructure;

/// <summary>A process run to its end (<see cref="CapturedProcess.RunAsync"/>): its exit code and each stream as written.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => StandardOutput + StandardError;
}
