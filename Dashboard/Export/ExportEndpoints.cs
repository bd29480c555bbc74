using Dashboard.Graph;
using Dashboard.Metrics;
using Dashboard.Model;
using Dashboard.Services;

namespace Dashboard.Export;

/// <summary>
/// <c>GET /export/table.csv|json?kind=deployments&amp;namespace=default&amp;window=1m</c>, or a relation of one resource:
/// <c>&amp;relation=callers&amp;name=ml</c>. The same numbers as the page, from the same shared query cache; a link works
/// from a shell (<c>curl</c>) as well as from the page's download buttons.
/// </summary>
public static class ExportEndpoints
{
    public const string Path = "/export/table";

    /// <summary>The service graph's export: <c>/export/graph.json|dot?namespace=NS[,NS2]&amp;window=1m[&amp;pods=true][&amp;idle=true]</c>.</summary>
    public const string GraphPath = "/export/graph";

    public static void MapExportEndpoints(this WebApplication app)
    {
        app.MapGet(GraphPath + ".{format}", async (string format, HttpContext context, IGraphService graphs) =>
        {
            if (format is not ("json" or "dot"))
            {
                return Results.Problem($"format '{format}' is not json or dot", statusCode: StatusCodes.Status404NotFound);
            }

            var q = context.Request.Query;
            var (request, problem) = GraphQuery.Parse(q["namespace"], q["window"], q["pods"], q["idle"]);
            if (request is null)
            {
                return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
            }

            var graph = await graphs.GetAsync(request, context.RequestAborted);
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"{GraphExport.FileName(request.Namespaces, request.Window, format)}\"";
            return format == "json"
                ? Results.Text(GraphExport.Json(graph), "application/json; charset=utf-8")
                : Results.Text(GraphExport.Dot(graph), "text/vnd.graphviz; charset=utf-8");
        }).AddEndpointFilter(PrometheusProblem);
        MapTableExport(app).AddEndpointFilter(PrometheusProblem);
    }

    /// <summary>An export Prometheus could not answer says so (503, with Prometheus' address and the reason), not an error page.</summary>
    private static async ValueTask<object?> PrometheusProblem(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (PrometheusException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static RouteHandlerBuilder MapTableExport(WebApplication app) =>
        app.MapGet(Path + ".{format}", async (string format, HttpContext context, StatTableService tables) =>
        {
            if (format is not ("csv" or "json"))
            {
                return Results.Problem($"format '{format}' is not csv or json", statusCode: StatusCodes.Status404NotFound);
            }

            var (parsedScope, parsedWindow, problem) = Parse(context.Request.Query);
            if (parsedScope is not { } scope || parsedWindow is not { } window)
            {
                return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
            }

            var table = await tables.LoadAsync(scope, window, context.RequestAborted);
            var file = StatTableExport.FileName(scope, window, format);
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"{file}\"";
            return format == "csv"
                ? Results.Text(StatTableExport.Csv(table), "text/csv; charset=utf-8")
                : Results.Text(StatTableExport.Json(table), "application/json; charset=utf-8");
        });

    /// <summary>The query string of a table's export link.</summary>
    public static string Query(TableScope scope, StatWindow window)
    {
        var query = $"kind={scope.Kind.UrlSegment()}&window={window}";
        if (scope.Of is { } of)
        {
            return $"kind={of.Kind.UrlSegment()}&namespace={Uri.EscapeDataString(of.Namespace)}&name={Uri.EscapeDataString(of.Name)}" +
                $"&relation={scope.Relation.ToString().ToLowerInvariant()}&window={window}";
        }

        return scope.Namespace is null ? query : $"{query}&namespace={Uri.EscapeDataString(scope.Namespace)}";
    }

    private static (TableScope? Scope, StatWindow? Window, string? Problem) Parse(IQueryCollection query)
    {
        if (!WorkloadKindExtensions.TryParseUrlSegment(query["kind"], out var kind))
        {
            return (null, null, $"kind '{query["kind"]}' is not one of namespaces, deployments, statefulsets, daemonsets, jobs, pods");
        }

        var windowText = query["window"].ToString();
        if (!StatWindow.TryParse(string.IsNullOrEmpty(windowText) ? StatWindow.Default.ToString() : windowText, out var window))
        {
            return (null, null, $"window '{windowText}' is not {StatWindow.Expected}");
        }

        var ns = query["namespace"].ToString();
        var relationText = query["relation"].ToString();
        if (string.IsNullOrEmpty(relationText) || relationText == "members")
        {
            return (TableScope.Members(kind, string.IsNullOrEmpty(ns) ? null : ns), window, null);
        }

        if (!Enum.TryParse<TableRelation>(relationText, ignoreCase: true, out var relation) || relation == TableRelation.Members)
        {
            return (null, null, $"relation '{relationText}' is not one of self, pods, callers, destinations");
        }

        var name = query["name"].ToString();
        return string.IsNullOrEmpty(ns) || string.IsNullOrEmpty(name) || kind == WorkloadKind.Namespace
            ? (null, null, $"relation '{relationText}' needs the namespace and name of a workload or pod")
            : (TableScope.Related(new ResourceKey(kind, ns, name), relation), window, null);
    }
}
