using System.Text.Json;
using Dashboard.Export;
using Dashboard.Tap;
using Dashboard.Tests.Tap;

namespace Dashboard.Tests.Export;

/// <summary>CSV (RFC 4180), JSON and NDJSON as the export buttons write them.</summary>
public sealed class ExportTests
{
    private static ExportTable Sample() => new ExportTable(["name", "count", "rate", "note"])
        .Add("web", 12L, 0.5, "plain")
        .Add("a,b", 0L, null, "say \"hi\"\nbye")
        .Add("=cmd|' /C calc'!A0", 3L, double.NaN, "-2 is text here");

    [Fact]
    public void Csv_quotes_what_needs_it_leaves_no_data_empty_and_defuses_formulas()
    {
        var csv = Sample().ToCsv();

        Assert.Equal(
            "name,count,rate,note\r\n" +
            "web,12,0.5,plain\r\n" +
            "\"a,b\",0,,\"say \"\"hi\"\"\nbye\"\r\n" +
            "'=cmd|' /C calc'!A0,3,,'-2 is text here\r\n",
            csv);
    }

    [Fact]
    public void Json_is_an_array_of_objects_with_numbers_as_numbers_and_no_data_as_null()
    {
        using var json = JsonDocument.Parse(Sample().ToJson());

        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(12, rows[0].GetProperty("count").GetInt64());
        Assert.Equal(0.5, rows[0].GetProperty("rate").GetDouble());
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("rate").ValueKind);
        Assert.Equal("say \"hi\"\nbye", rows[1].GetProperty("note").GetString());
        Assert.Equal("=cmd|' /C calc'!A0", rows[2].GetProperty("name").GetString());
    }

    [Fact]
    public void The_callers_export_names_the_unmeshed_clients_row_with_kind_unmeshed_and_no_namespace()
    {
        var test2 = new Dashboard.Model.ResourceKey(Dashboard.Model.WorkloadKind.Deployment, "default", "test-2");
        var table = new Dashboard.Model.StatTable(Dashboard.Model.TableScope.Related(test2, Dashboard.Model.TableRelation.Callers), Dashboard.Model.StatWindow.Default,
            [Dashboard.Model.StatTableRow.UnmeshedClients(test2, new Dashboard.Model.StatCounts(170, 10, 0, 60, 2, 8, 262))], DateTimeOffset.UnixEpoch);

        var row = System.Text.Json.JsonDocument.Parse(Dashboard.Export.StatTableExport.Json(table)).RootElement.EnumerateArray().Single();
        var csv = Dashboard.Export.StatTableExport.Csv(table).Split('\n')[1];

        Assert.Equal(("", "unmeshed clients", "unmeshed", 3.0, 0.0), (row.GetProperty("namespace").GetString(), row.GetProperty("name").GetString(),
            row.GetProperty("kind").GetString(), row.GetProperty("rps").GetDouble(), row.GetProperty("tls_share").GetDouble()));
        Assert.StartsWith(",unmeshed clients,unmeshed,0,0,", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_of_the_wrong_width_is_refused_naming_the_columns()
    {
        var error = Assert.Throws<ArgumentException>(() => new ExportTable(["a", "b"]).Add(1));

        Assert.StartsWith("a row of 1 values for 2 columns (a, b)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ndjson_has_one_parsable_object_per_tap_row_with_headers_and_redaction()
    {
        var row = TapData.Row(3, 500, 12);
        row.ResponseHeaders = [new() { Name = "set-cookie", Redacted = true }];

        var lines = ExportJson.ToNdjson([row, TapData.Row(4)]).Split('\n');

        Assert.Equal(3, lines.Length);
        Assert.Equal("", lines[2]);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal(("outbound", "GET", "/v1/items", 500, 12.0), (root.GetProperty("direction").GetString(), root.GetProperty("method").GetString(),
            root.GetProperty("path").GetString(), root.GetProperty("status").GetInt32(), root.GetProperty("latencyMs").GetDouble()));
        Assert.Equal("1:3", $"{root.GetProperty("id").GetProperty("base").GetInt32()}:{root.GetProperty("id").GetProperty("stream").GetInt64()}");
        Assert.False(root.GetProperty("isSuccess").GetBoolean());
        var cookie = root.GetProperty("responseHeaders")[0];
        Assert.True(cookie.GetProperty("redacted").GetBoolean());
        Assert.False(cookie.TryGetProperty("value", out _));
    }

    [Fact]
    public void The_top_exports_every_column_with_latencies_in_milliseconds()
    {
        var top = new TopAggregator();
        top.Add(TapData.Row(1, 200, 4));
        top.Add(TapData.Row(2, 500, 6));

        var csv = TopExport.Table(top.Rows()).ToCsv().Split("\r\n");

        Assert.Equal("source,destination,method,path,count,successes,successRate,bestMs,worstMs,lastMs,p50Ms,p95Ms,samples,letThrough", csv[0]);
        Assert.Equal("web-1,ml-0,GET,/v1/items,2,1,0.5,4,6,6,4,6,2,1", csv[1]);
    }

    [Fact]
    public void A_stamped_file_name_keeps_only_safe_characters() =>
        Assert.Equal("top-deploy-web-20240102-030405", BrowserDownload.Stamped("top-deploy/web", new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero)));
}
