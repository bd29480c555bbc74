namespace Dashboard.Cli.Inject;

/// <summary>
/// Injects a whole manifest text (<see cref="ManifestEditor"/>): documents inject does not change are copied byte for
/// byte; a changed document is written back in its place.
/// </summary>
public static class ManifestInjection
{
    /// <param name="source">The input's name for messages: a path, or "stdin".</param>
    /// <exception cref="InjectManifestException">Invalid YAML, or a workload without a pod template.</exception>
    public static (string Output, IReadOnlyList<InjectOutcome> Outcomes) Inject(string text, string source, InjectOptions options)
    {
        var outcomes = new List<InjectOutcome>();
        var output = ManifestEditor.Edit(text, source, (document, root) =>
        {
            var results = ProxyInjector.Inject(root, options, $"{source}, document {document.Number}");
            outcomes.AddRange(results);
            return results.Any(r => r.Injected) ? DocumentEdit.Changed : DocumentEdit.Keep;
        });
        return (output, outcomes);
    }
}
