namespace Dashboard.Proxy.ProxyInit;

/// <summary>One iptables invocation; <see cref="ToString"/> is the line init logs and <c>--dry-run</c> prints, ready for a shell.</summary>
public sealed record FirewallCommand(string File, IReadOnlyList<string> Arguments)
{
    public override string ToString() => string.Join(' ', new[] { File }.Concat(Arguments).Select(Quote));

    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:,=+@%".Contains(c, StringComparison.Ordinal))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
