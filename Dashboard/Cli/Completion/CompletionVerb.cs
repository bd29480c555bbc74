using System.CommandLine;

namespace Dashboard.Cli.Completion;

/// <summary>
/// <c>dashboard completion bash|zsh</c>: a script that completes verbs, options and values by asking the executable
/// itself through System.CommandLine's <c>[suggest:POSITION]</c> directive, so it never goes stale.
/// </summary>
internal sealed class CompletionVerb : ICliVerb
{
    /// <summary>Completes the words up to the cursor: <c>source &lt;(dashboard completion bash)</c>.</summary>
    public const string Bash = """
        # dashboard completion for bash; load it with: source <(dashboard completion bash)
        _dashboard_complete() {
          local line="${COMP_WORDS[*]:1:COMP_CWORD}"
          local IFS=$'\n'
          COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" "[suggest:${#line}]" "$line" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        complete -o default -F _dashboard_complete dashboard

        """;

    /// <summary>Completes the words up to the cursor: <c>source &lt;(dashboard completion zsh)</c>.</summary>
    public const string Zsh = """
        #compdef dashboard
        # dashboard completion for zsh; load it with: source <(dashboard completion zsh)
        _dashboard() {
          local line="${(j: :)words[2,CURRENT]}"
          local -a candidates
          candidates=("${(@f)$("${words[1]}" "[suggest:${#line}]" "$line" 2>/dev/null)}")
          compadd -- "${candidates[@]}"
        }
        compdef _dashboard dashboard

        """;

    public Command Create(CliGlobals globals)
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print a shell completion script: source <(dashboard completion bash)") { shell };
        globals.SetAction(command, async (parseResult, context, _) =>
        {
            await context.Console.Out.WriteAsync(parseResult.GetValue(shell) == "zsh" ? Zsh : Bash).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
