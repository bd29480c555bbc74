using System.Globalization;
using Dashboard.Model;

namespace Dashboard.Tap;

/// <summary>
/// A tap query as typed into a form or a URL, field by field; <see cref="Parse"/> turns it into a
/// <see cref="TapQuery"/> or lists every problem, each naming its field. The URL parameters are the property
/// names in camel case, so a link reproduces the query.
/// </summary>
public sealed record TapQueryText
{
    public string? Namespace { get; init; }
    public string? Resource { get; init; }
    public string? ToNamespace { get; init; }
    public string? ToResource { get; init; }
    public string? Method { get; init; }
    public string? Path { get; init; }
    public string? Authority { get; init; }
    public string? Scheme { get; init; }
    public string? MaxRps { get; init; }

    public static TapQueryText From(TapQuery query) => new()
    {
        Namespace = query.Namespace,
        Resource = query.Resource?.ToString(),
        ToNamespace = query.ToNamespace,
        ToResource = query.ToResource?.ToString(),
        Method = query.Method,
        Path = query.PathPrefix,
        Authority = query.Authority,
        Scheme = query.Scheme,
        MaxRps = query.MaxRps.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The URL query parameters of this query; blank fields are left out.</summary>
    public Dictionary<string, object?> ToQueryParameters() => new()
    {
        ["namespace"] = Blank(Namespace),
        ["resource"] = Blank(Resource),
        ["toNamespace"] = Blank(ToNamespace),
        ["toResource"] = Blank(ToResource),
        ["method"] = Blank(Method),
        ["path"] = Blank(Path),
        ["authority"] = Blank(Authority),
        ["scheme"] = Blank(Scheme),
        ["maxRps"] = Blank(MaxRps),
    };

    public (TapQuery? Query, IReadOnlyList<string> Problems) Parse()
    {
        var problems = new List<string>();
        var ns = Blank(Namespace);
        if (ns is null)
        {
            problems.Add("namespace: is empty; expected the namespace of the resource to tap");
        }
        else if (!TapResource.IsName(ns))
        {
            problems.Add($"namespace: '{ns}' is not a namespace name (lower-case letters, digits and '-')");
        }

        var resource = ParseResource("resource", Resource, problems);
        if (resource is { Kind: WorkloadKind.Namespace } whole && ns is not null && whole.Name != ns)
        {
            problems.Add($"resource: '{Resource}' names namespace {whole.Name} but namespace is {ns}");
        }

        var toNamespace = Blank(ToNamespace);
        if (toNamespace is not null && !TapResource.IsName(toNamespace))
        {
            problems.Add($"toNamespace: '{toNamespace}' is not a namespace name (lower-case letters, digits and '-')");
        }

        var toResource = ParseResource("toResource", ToResource, problems);
        if (toNamespace is not null && toResource is null)
        {
            problems.Add($"toNamespace: '{toNamespace}' needs toResource, the resource in that namespace (e.g. deploy/web, or ns/{toNamespace} for all of it)");
        }

        var method = Blank(Method)?.ToUpperInvariant();
        if (method is not null && !method.All(char.IsAsciiLetterUpper))
        {
            problems.Add($"method: '{Method}' is not an HTTP method such as GET or POST");
        }

        var path = Blank(Path);
        if (path is not null && path[0] != '/')
        {
            problems.Add($"path: '{path}' is not a path prefix; expected it to start with / (e.g. /api)");
        }

        var scheme = Blank(Scheme)?.ToLowerInvariant();
        if (scheme is not null and not ("http" or "https"))
        {
            problems.Add($"scheme: '{Scheme}' is not http or https");
        }

        var maxRps = ParseMaxRps(problems);
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        return (new TapQuery
        {
            Namespace = ns!,
            Resource = resource is { Kind: WorkloadKind.Namespace } ? null : resource,
            ToNamespace = toNamespace,
            ToResource = toResource,
            Method = method,
            PathPrefix = path,
            Authority = Blank(Authority),
            Scheme = scheme,
            MaxRps = maxRps,
        }, problems);
    }

    private double ParseMaxRps(List<string> problems)
    {
        var text = Blank(MaxRps);
        if (text is null)
        {
            return Contracts.Tap.TapRequest.DefaultMaxRps;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value > 0) || value > TapQuery.MaxRpsLimit)
        {
            problems.Add($"maxRps: '{text}' is not a number of requests per second above 0 and at most {TapQuery.MaxRpsLimit:0}");
            return 0;
        }

        return value;
    }

    private static TapResource? ParseResource(string field, string? text, List<string> problems)
    {
        if (Blank(text) is null)
        {
            return null;
        }

        if (TapResource.TryParse(text, out var resource))
        {
            return resource;
        }

        problems.Add($"{field}: '{text}' is not a resource; expected {TapResource.Expected}");
        return null;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
