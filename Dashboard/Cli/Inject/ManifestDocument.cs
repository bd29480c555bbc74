using YamlDotNet.RepresentationModel;

namespace Dashboard.Cli.Inject;

/// <summary>
/// One document of a multi-document manifest: its parsed root and where its content lies in the text, so that an
/// untouched document is copied byte for byte (comments, quoting and order kept) and a changed one is replaced
/// in place, keeping the separators and comments around it.
/// </summary>
/// <param name="Number">1-based, as a user counts the documents of a file.</param>
/// <param name="Root">Null for a document without content (only comments, or empty).</param>
/// <param name="ContentStart">Index of the root node's first character.</param>
/// <param name="ContentEnd">Index just past its last character (trailing comments stay outside).</param>
public sealed record ManifestDocument(int Number, YamlNode? Root, int ContentStart, int ContentEnd)
{
    /// <summary>A JSON document (<c>{ … }</c>): a changed one is written back as JSON.</summary>
    public bool IsJson => Root is YamlMappingNode { Style: YamlDotNet.Core.Events.MappingStyle.Flow };
}
