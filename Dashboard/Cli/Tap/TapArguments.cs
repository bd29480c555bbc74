using System.CommandLine;
using Dashboard.Contracts.Durations;
using Dashboard.Model;
using Dashboard.Tap;

namespace Dashboard.Cli.Tap;

/// <summary>
/// The arguments <c>tap</c> and <c>top</c> share: what to tap and the filters, spelled as the /tap page's
/// "equivalent command" (<see cref="TapQuery.ToCommandLine"/>) writes them, parsed by the page's own
/// <see cref="TapQueryText"/> so both accept the same queries.
/// </summary>
internal sealed class TapArguments
{
    /// <summary>The environment variable holding the proxies' tap token (a file is <c>--tap-token-file</c>).</summary>
    public const string TokenVariable = "DASHBOARD_TAP_TOKEN";

    public Argument<string[]> Resource { get; } = new("resource")
    {
        Description = $"TYPE/NAME or TYPE NAME: {TapResource.Expected}",
        Arity = new ArgumentArity(1, 2),
        HelpName = "TYPE/NAME",
    };

    public Option<string?> Namespace { get; } = new("--namespace", "-n") { Description = "The resource's namespace [default: the kubeconfig context's, else default]", HelpName = "NAMESPACE" };
    public Option<string?> To { get; } = new("--to") { Description = "Only requests to this resource (TYPE/NAME)", HelpName = "RESOURCE" };
    public Option<string?> ToNamespace { get; } = new("--to-namespace") { Description = "The namespace of --to [default: --namespace]", HelpName = "NAMESPACE" };
    public Option<string?> Method { get; } = new("--method") { Description = "Only requests with this HTTP method", HelpName = "METHOD" };
    public Option<string?> Path { get; } = new("--path") { Description = "Only requests whose path starts with this", HelpName = "PREFIX" };
    public Option<string?> Authority { get; } = new("--authority") { Description = "Only requests to this authority (host:port as sent)", HelpName = "AUTHORITY" };
    public Option<string?> Scheme { get; } = new("--scheme") { Description = "Only requests with this scheme (http or https)", HelpName = "SCHEME" };

    public Option<string> MaxRps { get; } = new("--max-rps")
    {
        Description = "Requests per second to tap at most, across all the resource's pods",
        DefaultValueFactory = _ => TapQuery.DefaultMaxRps.ToString(System.Globalization.CultureInfo.InvariantCulture),
        HelpName = "RPS",
    };

    public Option<string?> Duration { get; } = new("--duration") { Description = "End after this long (10s, 1m) instead of at Ctrl-C", HelpName = "DURATION" };

    public Option<string?> TokenFile { get; } = new("--tap-token-file")
    {
        Description = $"With --direct: a file holding the proxies' tap token (./run.sh writes .run/tap-token) [default: ${TokenVariable}]",
        HelpName = "FILE",
    };

    public Option<bool> Direct { get; } = new("--direct")
    {
        Description = "Tap the pods' proxies from here (their pod IPs and tap token) instead of through the dashboard",
    };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Resource);
        foreach (var option in new Option[] { Namespace, To, ToNamespace, Method, Path, Authority, Scheme, MaxRps, Duration, Direct, TokenFile })
        {
            command.Options.Add(option);
        }

        Resource.CompletionSources.Add([.. WorkloadKindExtensions.InCliOrder.Select(k => k.ShortName() + "/")]);
    }

    /// <summary>The query, the duration and, with <c>--direct</c>, the token; a bad value is a usage error naming its option.</summary>
    public TapCommand Parse(ParseResult parseResult, CliContext context, bool extractHeaders)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(context);
        var query = ParseQuery(parseResult, context.DefaultNamespace) with { ExtractHeaders = extractHeaders };
        var duration = ParseDuration(parseResult.GetValue(Duration));
        var file = parseResult.GetValue(TokenFile);
        if (!parseResult.GetValue(Direct))
        {
            return file is null
                ? new TapCommand(query, duration, null)
                : throw CommandException.Usage($"{TokenFile.Name} is for {Direct.Name}: through the dashboard, the dashboard holds the proxies' token");
        }

        return new TapCommand(query, duration, new DirectTap(ReadToken(file), file is null ? TokenVariable : $"the token in {file}"));
    }

    /// <summary>What to tap, through the /tap page's own parser; a bad value is a usage error naming its option.</summary>
    public TapQuery ParseQuery(ParseResult parseResult, string defaultNamespace)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var target = TargetText(parseResult.GetValue(Resource) ?? []);
        var toNamespace = parseResult.GetValue(ToNamespace);
        if (toNamespace is not null && parseResult.GetValue(To) is null)
        {
            throw CommandException.Usage($"--to-namespace '{toNamespace}' needs --to, the resource in that namespace (e.g. --to deploy/web, or --to ns/{toNamespace} for all of it)");
        }

        // ns/NAME taps a whole namespace: it is the namespace unless -n says otherwise (and then they must agree).
        var wholeNamespace = TapResource.TryParse(target, out var resource) && resource.Value.Kind == WorkloadKind.Namespace ? resource.Value.Name : null;
        var (query, problems) = new TapQueryText
        {
            Namespace = parseResult.GetValue(Namespace) ?? wholeNamespace ?? defaultNamespace,
            Resource = target,
            ToNamespace = toNamespace,
            ToResource = parseResult.GetValue(To),
            Method = parseResult.GetValue(Method),
            Path = parseResult.GetValue(Path),
            Authority = parseResult.GetValue(Authority),
            Scheme = parseResult.GetValue(Scheme),
            MaxRps = parseResult.GetValue(MaxRps),
        }.Parse();
        return query ?? throw CommandException.Usage(string.Join(Environment.NewLine + "error: ", problems.Select(OptionNamed)));
    }

    /// <summary><c>deploy/web</c> or <c>deploy web</c>; a bare <c>web</c> lacks its TYPE.</summary>
    private static string TargetText(string[] words)
    {
        var text = words.Length == 2 ? $"{words[0]}/{words[1]}" : words.FirstOrDefault() ?? "";
        if (words.Length == 2 && (words[0].Contains('/', StringComparison.Ordinal) || words[1].Contains('/', StringComparison.Ordinal)))
        {
            throw CommandException.Usage($"'{string.Join(' ', words)}': give either TYPE/NAME or TYPE NAME, not both");
        }

        if (!text.Contains('/', StringComparison.Ordinal))
        {
            throw CommandException.Usage($"'{text}' is not a resource: expected TYPE/NAME or TYPE NAME, {TapResource.Expected}");
        }

        return text;
    }

    private TimeSpan? ParseDuration(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var parsed = DurationText.ParsePositive(text, DurationSyntax.Configuration);
        return parsed.Problem is { } problem ? throw CommandException.Usage($"{Duration.Name} '{text}' {problem}") : parsed.Value;
    }

    private string ReadToken(string? file)
    {
        string? token;
        if (file is not null)
        {
            try
            {
                token = File.ReadAllText(file).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw CommandException.Usage($"{TokenFile.Name} '{file}' cannot be read: {e.Message}");
            }

            if (token.Length == 0)
            {
                throw CommandException.Usage($"{TokenFile.Name} '{file}' is empty; expected the proxies' tap token");
            }
        }
        else
        {
            token = Environment.GetEnvironmentVariable(TokenVariable)?.Trim();
        }

        return token is { Length: > 0 } && !token.Any(char.IsWhiteSpace)
            ? token
            : throw CommandException.Failed(
                $"tap needs the proxies' tap token ({Contracts.Proxy.ProxyEnvironment.TapToken}): set {TokenVariable} or pass {TokenFile.Name} FILE (./run.sh writes it to .run/tap-token)");
    }

    // TapQueryText names the page's fields; the command line names its options.
    private static string OptionNamed(string problem)
    {
        var colon = problem.IndexOf(": ", StringComparison.Ordinal);
        var field = colon < 0 ? "" : problem[..colon];
        var option = field switch
        {
            "namespace" => "--namespace",
            "resource" => "TYPE/NAME",
            "toNamespace" => "--to-namespace",
            "toResource" => "--to",
            "method" => "--method",
            "path" => "--path",
            "authority" => "--authority",
            "scheme" => "--scheme",
            "maxRps" => "--max-rps",
            _ => null,
        };
        return option is null ? problem : option + problem[colon..];
    }
}

/// <summary>One <c>tap</c> or <c>top</c> command line, parsed.</summary>
/// <param name="Duration">When to stop by itself; null runs until Ctrl-C.</param>
/// <param name="Direct">With <c>--direct</c>, how to reach the proxies; null taps through the dashboard.</param>
internal sealed record TapCommand(TapQuery Query, TimeSpan? Duration, DirectTap? Direct);

/// <summary>What <c>--direct</c> needs to tap the proxies from here.</summary>
/// <param name="Token">The bearer token of the proxies' tap hubs.</param>
/// <param name="TokenSource">Where the token came from, to name it when a proxy refuses it.</param>
internal sealed record DirectTap(string Token, string TokenSource);
