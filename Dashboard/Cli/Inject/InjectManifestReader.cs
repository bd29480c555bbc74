using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Dashboard.Cli.Inject;

/// <summary>Splits YAML (or JSON) text into <see cref="ManifestDocument"/>s; bad syntax is reported by document number and line.</summary>
public static class InjectManifestReader
{
    /// <exception cref="InjectManifestException">The text is not YAML; the message names the document and line.</exception>
    public static IReadOnlyList<ManifestDocument> Read(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spans = Spans(text, source);
        var stream = new YamlStream();
        stream.Load(new StringReader(text)); // parses again, into nodes; the first pass already proved the syntax
        if (stream.Documents.Count != spans.Count)
        {
            throw new InvalidOperationException($"{source}: {stream.Documents.Count} documents parsed, but {spans.Count} found");
        }

        return [.. spans.Select((span, i) => new ManifestDocument(i + 1,
            span.HasContent ? stream.Documents[i].RootNode : null, (int)span.Start, (int)span.End))];
    }

    /// <summary>One pass over the parser's events: each document's content span.</summary>
    private static List<(bool HasContent, long Start, long End)> Spans(string text, string source)
    {
        var spans = new List<(bool, long, long)>();
        var parser = new Parser(new StringReader(text));
        var flow = new Stack<bool>(); // per open collection: whether it is a flow ({…} or […]) one
        long start = -1, end = -1;
        var lastLine = 1L;
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                lastLine = current.End.Line;
                switch (current)
                {
                    case DocumentStart:
                        (start, end) = (-1, -1);
                        break;
                    case DocumentEnd:
                        spans.Add((start >= 0 && end > start, start, end));
                        break;
                    case MappingStart or SequenceStart when start >= 0:
                        flow.Push(current is MappingStart { Style: MappingStyle.Flow } or SequenceStart { Style: SequenceStyle.Flow });
                        break;
                    case NodeEvent node when start < 0:
                        // An empty document holds one empty plain scalar where its content would be.
                        if (node is not Scalar { Value: "", Style: ScalarStyle.Plain })
                        {
                            start = node.Start.Index;
                            end = node.End.Index;
                            if (node is MappingStart or SequenceStart)
                            {
                                flow.Push(node is MappingStart { Style: MappingStyle.Flow } or SequenceStart { Style: SequenceStyle.Flow });
                            }
                        }

                        break;
                    case MappingEnd or SequenceEnd:
                        if (flow.Pop())
                        {
                            end = Math.Max(end, ClosingBracket(text, current.Start.Index));
                        }

                        break;
                    default:
                        // A block collection ends where the next token starts (past trailing comments), so only
                        // scalars and the closing brackets of flow collections mark the end of the content.
                        if (current is Scalar or AnchorAlias)
                        {
                            end = Math.Max(end, current.End.Index);
                        }

                        break;
                }
            }
        }
        catch (YamlException e)
        {
            throw new InjectManifestException($"{source}: invalid YAML in document {Math.Max(spans.Count + 1, 1)}, line {e.Start.Line}, column {e.Start.Column}: {Reason(e)}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this on some unclosed flow collections, without a position.
            throw new InjectManifestException($"{source}: invalid YAML in document {Math.Max(spans.Count + 1, 1)}, after line {lastLine}: the parser stopped (often at an unclosed [ or {{)", e);
        }

        return spans;
    }

    /// <summary>Just past the <c>}</c> or <c>]</c> at or after <paramref name="index"/> (the parser marks the bracket itself).</summary>
    private static long ClosingBracket(string text, long index)
    {
        var i = (int)index;
        while (i < text.Length && text[i] is not ('}' or ']'))
        {
            i++;
        }

        return Math.Min(i + 1, text.Length);
    }

    private static string Reason(YamlException e) =>
        e.InnerException is YamlException inner && inner.Message.Length > 0 ? inner.Message : e.Message;
}
