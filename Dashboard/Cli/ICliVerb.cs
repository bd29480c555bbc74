using System.CommandLine;

namespace Dashboard.Cli;

/// <summary>One verb of <c>dashboard</c>: builds its command; <see cref="CliGlobals.SetAction"/> gives it a <see cref="CliContext"/>.</summary>
public interface ICliVerb
{
    Command Create(CliGlobals globals);
}
