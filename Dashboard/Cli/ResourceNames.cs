namespace Dashboard.Cli;

/// <summary>Kubernetes' rules for names, to refuse a bad name on the command line before any request is sent.</summary>
public static class ResourceNames
{
    /// <summary>An RFC 1123 label: lower-case letters, digits and '-', starting and ending alphanumeric, at most 63 characters (namespaces).</summary>
    public static bool IsDnsLabel(string? name) =>
        name is { Length: > 0 and <= 63 } && IsAlphanumeric(name[0]) && IsAlphanumeric(name[^1])
        && name.All(c => IsAlphanumeric(c) || c == '-');

    /// <summary>An RFC 1123 subdomain: labels joined by '.', at most 253 characters (most object names).</summary>
    public static bool IsDnsSubdomain(string? name) =>
        name is { Length: > 0 and <= 253 } && name.Split('.').All(IsDnsLabel);

    private static bool IsAlphanumeric(char c) => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c);
}
