namespace Dashboard.Model;

/// <summary>
/// A true/false URL parameter (<c>?desc=true</c>, <c>?autostart=true</c>), read as text: a link typed by hand with
/// another value (<c>?desc=maybe</c>) still shows its page, with a note, rather than failing it.
/// </summary>
public static class QueryFlag
{
    /// <summary>False when absent or empty; null when the value is neither true nor false (any case).</summary>
    public static bool? Parse(string? text) => string.IsNullOrEmpty(text) ? false : bool.TryParse(text, out var value) ? value : null;

    /// <summary>What to say of a value <see cref="Parse"/> refused, naming the parameter.</summary>
    public static string NotAFlag(string name, string text) => $"{name} '{text}' is not true or false";
}
