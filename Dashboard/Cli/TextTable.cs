namespace Dashboard.Cli;

/// <summary>
/// kubectl's plain tables, as the seed prints <c>stat</c>: columns three spaces apart, the name columns
/// left-aligned and the numbers right-aligned under their headers; no borders, no colour, no trailing spaces.
/// </summary>
public sealed class TextTable
{
    private const string Gap = "   ";
    private readonly IReadOnlyList<string> _headers;
    private readonly int _leftAligned;
    private readonly int _leftAlignedAtEnd;
    private readonly List<IReadOnlyList<string>> _rows = [];

    /// <param name="leftAligned">How many leading columns are text (left-aligned); the rest are right-aligned.</param>
    /// <param name="leftAlignedAtEnd">How many trailing columns are text too, such as a list of names after the numbers.</param>
    public TextTable(IReadOnlyList<string> headers, int leftAligned, int leftAlignedAtEnd = 0)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentOutOfRangeException.ThrowIfNegative(leftAligned);
        ArgumentOutOfRangeException.ThrowIfNegative(leftAlignedAtEnd);
        _headers = headers;
        _leftAligned = leftAligned;
        _leftAlignedAtEnd = leftAlignedAtEnd;
    }

    public int Count => _rows.Count;

    public void Add(IReadOnlyList<string> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Count != _headers.Count)
        {
            throw new ArgumentException($"a row of {cells.Count} cells in a table of {_headers.Count} columns", nameof(cells));
        }

        _rows.Add(cells);
    }

    public async Task WriteAsync(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var widths = _headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var cells in _rows.Prepend(_headers))
        {
            var line = string.Join(Gap, cells.Select((cell, i) => IsText(i) ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i])));
            await writer.WriteLineAsync(line.TrimEnd()).ConfigureAwait(false);
        }
    }

    private bool IsText(int column) => column < _leftAligned || column >= _headers.Count - _leftAlignedAtEnd;
}
