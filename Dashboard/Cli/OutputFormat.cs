namespace Dashboard.Cli;

/// <summary>The global <c>-o</c>: how verbs that print results print them.</summary>
public enum OutputFormat
{
    Table,
    Wide,
    Json,

    /// <summary>Graphviz DOT: the graph verb's.</summary>
    Dot,
}
