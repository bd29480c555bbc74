using System.Text;

namespace Dashboard.Export;

/// <summary>A file for the browser to save.</summary>
public sealed record ExportFile(string FileName, string ContentType, string Content)
{
    public const string Csv = "text/csv";
    public const string Json = "application/json";
    public const string Ndjson = "application/x-ndjson";

    public static ExportFile CsvOf(string baseName, ExportTable table) => new(baseName + ".csv", Csv, table.ToCsv());

    public static ExportFile JsonOf(string baseName, ExportTable table) => new(baseName + ".json", Json, table.ToJson());

    public byte[] Bytes => Encoding.UTF8.GetBytes(Content);
}
