using System.Text;
using YamlDotNet.RepresentationModel;

namespace Dashboard.Cli.Inject;

/// <summary>What an edit did to one document.</summary>
public enum DocumentEdit
{
    /// <summary>Untouched: its text is copied byte for byte.</summary>
    Keep,

    /// <summary>Its root was changed in place: written back in the document's style.</summary>
    Changed,

    /// <summary>Left out, with the separator and comments before it.</summary>
    Drop,
}

/// <summary>
/// Edits a manifest text document by document (<c>inject</c>, <c>install</c>): documents the edit keeps are copied byte
/// for byte; a changed one is written back in its place (YAML, or JSON for JSON), keeping the separators and comments
/// between documents. Comments inside a changed document are lost: YamlDotNet's node model does not keep them.
/// </summary>
public static class ManifestEditor
{
    /// <param name="source">The input's name for messages: a path, or "stdin".</param>
    /// <exception cref="InjectManifestException">Invalid YAML (or what <paramref name="edit"/> throws).</exception>
    public static string Edit(string text, string source, Func<ManifestDocument, YamlMappingNode, DocumentEdit> edit)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(edit);
        var output = new StringBuilder(text.Length + 2048);
        var position = 0;
        var previousEnd = 0;
        foreach (var document in InjectManifestReader.Read(text, source))
        {
            var start = previousEnd;
            previousEnd = document.ContentEnd;
            if (document.Root is not YamlMappingNode root)
            {
                continue;
            }

            switch (edit(document, root))
            {
                case DocumentEdit.Changed:
                    var original = text[document.ContentStart..document.ContentEnd];
                    var replacement = document.IsJson ? ManifestWriter.Json(root) : ManifestWriter.Yaml(root, original, text);
                    if (!original.EndsWith('\n'))
                    {
                        replacement = replacement.TrimEnd('\n');
                    }

                    output.Append(text, position, document.ContentStart - position).Append(replacement);
                    position = document.ContentEnd;
                    break;
                case DocumentEdit.Drop:
                    output.Append(text, position, Math.Max(0, start - position));
                    position = document.ContentEnd;
                    break;
            }
        }

        output.Append(text, position, text.Length - position);
        return output.ToString();
    }
}
