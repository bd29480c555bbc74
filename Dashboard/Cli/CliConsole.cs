namespace Dashboard.Cli;

/// <summary>
/// Where a verb reads and writes: the process's standard streams, or writers a test holds.
/// </summary>
/// <param name="In">Standard input (<c>inject -</c>).</param>
/// <param name="Out">Results: tables, JSON, manifests.</param>
/// <param name="Error">Errors, hints and progress, so that <see cref="Out"/> stays pipeable.</param>
/// <param name="IsInteractive">Whether a person watches <see cref="Out"/> (a terminal), not a pipe.</param>
public sealed record CliConsole(TextReader In, TextWriter Out, TextWriter Error, bool IsInteractive)
{
    /// <summary>The process's streams; on a pipe, <see cref="Out"/> throws <see cref="OutputClosedException"/> once the reader is gone.</summary>
    public static CliConsole System => new(Console.In, PipeOutput.Open(), Console.Error, !Console.IsOutputRedirected);
}
