using System.Text;
using System.Text.Json;

namespace Dashboard.Cli.Check;

/// <summary>
/// The seed's format: <c>category: description.....[ok]</c> padded with dots to one width, a hint line under
/// each warning or failure, and a last line <c>Status check results are [ok]</c> (or <c>[fail]</c>).
/// <c>-o json</c> prints one document at the end instead.
/// </summary>
public sealed class CheckPrinter(CliConsole console, OutputFormat format)
{
    /// <summary>Where the status starts, as in the seed's output (so an 80-column terminal shows whole lines).</summary>
    public const int StatusColumn = 75;

    private readonly List<(CheckCategory Category, HealthCheck Check, CheckResult Result)> _results = [];

    public static string Status(CheckStatus status) => status switch
    {
        CheckStatus.Ok => "[ok]",
        CheckStatus.Warn => "[warn]",
        _ => "[fail]",
    };

    /// <summary>One line: the description, dots, the status; at least three dots however long the description.</summary>
    public static string Line(CheckCategory category, HealthCheck check, CheckStatus status)
    {
        var text = $"{category.Name}: {check.Description}";
        return text + new string('.', Math.Max(3, StatusColumn - text.Length)) + Status(status);
    }

    public async Task ReportAsync(CheckCategory category, HealthCheck check, CheckResult result)
    {
        _results.Add((category, check, result));
        if (format == OutputFormat.Json)
        {
            return;
        }

        await console.Out.WriteLineAsync(Line(category, check, result.Status)).ConfigureAwait(false);
        if (result.Status != CheckStatus.Ok && result.Hint is { } hint)
        {
            await console.Out.WriteLineAsync("    hint: " + hint).ConfigureAwait(false);
        }
    }

    public async Task FinishAsync(bool success)
    {
        if (format == OutputFormat.Json)
        {
            await console.Out.WriteLineAsync(Json(success)).ConfigureAwait(false);
            return;
        }

        await console.Out.WriteLineAsync().ConfigureAwait(false);
        await console.Out.WriteLineAsync($"Status check results are {Status(success ? CheckStatus.Ok : CheckStatus.Fail)}").ConfigureAwait(false);
    }

    /// <summary>Linkerd's shape: <c>{"success": …, "categories": [{"categoryName": …, "checks": [{"description", "result", "hint"}]}]}</c>.</summary>
    private string Json(bool success)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteBoolean("success", success);
            json.WriteStartArray("categories");
            foreach (var category in _results.GroupBy(r => r.Category.Name, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("categoryName", category.Key);
                json.WriteStartArray("checks");
                foreach (var (_, check, result) in category)
                {
                    json.WriteStartObject();
                    json.WriteString("description", check.Description);
                    json.WriteString("result", result.Status switch { CheckStatus.Ok => "success", CheckStatus.Warn => "warning", _ => "error" });
                    json.WriteString("hint", result.Hint);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
