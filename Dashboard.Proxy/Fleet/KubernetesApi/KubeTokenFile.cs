using System.Text;
using Dashboard.Contracts.Tap;
using k8s.Models;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>
/// Static bearer tokens as kube-apiserver's <c>--token-auth-file</c> reads them: a CSV of
/// <c>token,user,uid,"group1,group2"</c> (the groups column is optional). An authenticated user also belongs to
/// <c>system:authenticated</c>, as every user the real server authenticates does.
/// </summary>
public sealed class KubeTokenFile
{
    private readonly Dictionary<string, V1UserInfo> _users;

    private KubeTokenFile(Dictionary<string, V1UserInfo> users) => _users = users;

    public static KubeTokenFile Empty { get; } = new([]);

    public int Count => _users.Count;

    /// <summary>The user of <paramref name="token"/>, or null when the file does not hold it.</summary>
    public V1UserInfo? Authenticate(string? token) => token is { Length: > 0 } ? _users.GetValueOrDefault(token) : null;

    /// <exception cref="FormatException">A line lacks a column or has an unclosed quote; the message names the line.</exception>
    public static KubeTokenFile Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var users = new Dictionary<string, V1UserInfo>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var fields = Fields(line) ?? throw new FormatException($"{source} line {i + 1}: a quote is not closed");
            if (fields.Count < 3 || fields[0].Length == 0 || fields[1].Length == 0)
            {
                throw new FormatException($"{source} line {i + 1}: expected at least 3 columns (token, user name, user uid), found {fields.Count}");
            }

            var groups = fields.Count > 3 ? fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() : [];
            groups.Add(TapAccess.AuthenticatedGroup);
            // As kube-apiserver: a token given twice keeps its last line.
            users[fields[0]] = new V1UserInfo { Username = fields[1], Uid = fields[2], Groups = groups };
        }

        return new KubeTokenFile(users);
    }

    /// <summary>The fields of one CSV line (quotes group commas; "" is a quote); null when a quote is left open.</summary>
    private static List<string>? Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString().Trim());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString().Trim());
        return quoted ? null : fields;
    }
}
