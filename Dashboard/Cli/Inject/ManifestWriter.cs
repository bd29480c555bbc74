using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Dashboard.Cli.Inject;

/// <summary>Writes a changed document's root back: as YAML in the style the file uses, or as JSON for a JSON document.</summary>
public static partial class ManifestWriter
{
    /// <summary>
    /// YAML keeping each scalar's quoting and each collection's style; sequences under a key are indented or not as
    /// <paramref name="document"/> writes them (else the rest of <paramref name="file"/>); no line folding; no
    /// <c>---</c> or <c>...</c> (the separators stay the file's).
    /// </summary>
    public static string Yaml(YamlNode root, string document, string file)
    {
        ArgumentNullException.ThrowIfNull(root);
        var settings = new EmitterSettings().WithBestWidth(int.MaxValue);
        // Neither? kubectl's own output does not indent them.
        if (IndentsSequences(document) ?? IndentsSequences(file) ?? false)
        {
            settings = settings.WithIndentedSequences();
        }

        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(text, settings);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Emit(emitter, root, []);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    /// <summary>JSON, two-space indented; a plain scalar that reads as a JSON number, boolean or null is written as one.</summary>
    public static string Json(YamlNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteJson(json, root);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Emit(IEmitter emitter, YamlNode node, HashSet<AnchorName> anchors)
    {
        // A node loaded from an anchor appears wherever an alias pointed to it: write it once, then aliases.
        if (!node.Anchor.IsEmpty && !anchors.Add(node.Anchor))
        {
            emitter.Emit(new AnchorAlias(node.Anchor));
            return;
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                emitter.Emit(new Scalar(scalar.Anchor, scalar.Tag, scalar.Value ?? "", scalar.Style, scalar.Tag.IsEmpty, scalar.Tag.IsEmpty));
                break;
            case YamlSequenceNode sequence:
                emitter.Emit(new SequenceStart(sequence.Anchor, sequence.Tag, sequence.Tag.IsEmpty, sequence.Style));
                foreach (var child in sequence.Children)
                {
                    Emit(emitter, child, anchors);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case YamlMappingNode mapping:
                emitter.Emit(new MappingStart(mapping.Anchor, mapping.Tag, mapping.Tag.IsEmpty, mapping.Style));
                foreach (var (key, value) in mapping.Children)
                {
                    Emit(emitter, key, anchors);
                    Emit(emitter, value, anchors);
                }

                emitter.Emit(new MappingEnd());
                break;
            default:
                throw new InvalidOperationException($"a {node.NodeType} node cannot be written");
        }
    }

    private static void WriteJson(Utf8JsonWriter json, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                json.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    json.WritePropertyName(((YamlScalarNode)key).Value ?? "");
                    WriteJson(json, value);
                }

                json.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                json.WriteStartArray();
                foreach (var child in sequence.Children)
                {
                    WriteJson(json, child);
                }

                json.WriteEndArray();
                break;
            case YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: var value } when value is "true" or "false" or "null":
                json.WriteRawValue(value);
                break;
            case YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: { } value } when JsonNumber().IsMatch(value):
                json.WriteRawValue(value);
                break;
            case YamlScalarNode scalar:
                json.WriteStringValue(scalar.Value);
                break;
            default:
                throw new InvalidOperationException($"a {node.NodeType} node cannot be written as JSON");
        }
    }

    /// <summary>
    /// Whether the text indents a sequence under its key: false when some <c>key:</c> line is followed by <c>- </c> at
    /// the same indentation, true when only deeper, null when it holds no such pair. A scan of lines, not a regex: a
    /// Grafana dashboard is one JSON line of many kilobytes, which backtracking made slow.
    /// </summary>
    private static bool? IndentsSequences(string text)
    {
        bool? indents = null;
        var lines = text.Split('\n');
        for (var i = 0; i + 1 < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r', ' ', '\t');
            var indent = Indentation(line);
            if (indent == line.Length || line[indent] is '#' or '-' or '\t' || !line.EndsWith(':'))
            {
                continue;
            }

            var next = lines[i + 1];
            var nextIndent = Indentation(next);
            if (!next.AsSpan(nextIndent).StartsWith("- ", StringComparison.Ordinal) || nextIndent < indent)
            {
                continue;
            }

            if (nextIndent == indent)
            {
                return false;
            }

            indents = true;
        }

        return indents;
    }

    private static int Indentation(string line) => line.Length - line.TrimStart(' ').Length;

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex JsonNumber();
}
