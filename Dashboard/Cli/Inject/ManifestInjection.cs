using System.Text;
using YamlDotNet.RepresentationModel;

namespace Dashboard.Cli.Inject;

/// <summary>
/// Injects a whole manifest text: documents inject does not change are copied byte for byte; a changed document is
/// written back in its place (YAML, or JSON for JSON), keeping the separators and comments between documents.
/// Comments inside a changed document are lost: YamlDotNet's node model does not keep them.
/// </summary>
public static class ManifestInjection
{
    /// <param name="source">The input's name for messages: a path, or "stdin".</param>
    /// <exception cref="ManifestException">Invalid YAML, or a workload without a pod template.</exception>
    public static (string Output, IReadOnlyList<InjectOutcome> Outcomes) Inject(string text, string source, InjectOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        var documents = ManifestReader.Read(text, source);
        var output = new StringBuilder(text.Length + 2048);
        var outcomes = new List<InjectOutcome>();
        var position = 0;
        foreach (var document in documents)
        {
            if (document.Root is not YamlMappingNode root)
            {
                continue;
            }

            var results = ProxyInjector.Inject(root, options, $"{source}, document {document.Number}");
            outcomes.AddRange(results);
            if (!results.Any(r => r.Injected))
            {
                continue;
            }

            var original = text[document.ContentStart..document.ContentEnd];
            var replacement = document.IsJson ? ManifestWriter.Json(root) : ManifestWriter.Yaml(root, original, text);
            if (!original.EndsWith('\n'))
            {
                replacement = replacement.TrimEnd('\n');
            }

            output.Append(text, position, document.ContentStart - position).Append(replacement);
            position = document.ContentEnd;
        }

        output.Append(text, position, text.Length - position);
        return (output.ToString(), outcomes);
    }
}
