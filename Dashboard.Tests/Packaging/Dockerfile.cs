using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dashboard.Tests.Packaging;

/// <summary>An instruction of a Dockerfile, continuation lines joined: <c>RUN</c> and what follows it.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments);

/// <summary>
/// A Dockerfile read as the builder reads it, for what the tests run from it: the stages, and of the final (runtime)
/// stage its environment, user, health check and entry point.
/// </summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(string path, IReadOnlyList<IReadOnlyList<DockerInstruction>> stages, IReadOnlyList<string> comments)
    {
        Path = path;
        Stages = stages;
        Comments = comments;
    }

    public string Path { get; }
    public IReadOnlyList<IReadOnlyList<DockerInstruction>> Stages { get; }
    /// <summary>The comment lines, where the image documents itself.</summary>
    public IReadOnlyList<string> Comments { get; }
    public IReadOnlyList<DockerInstruction> Runtime => Stages[^1];

    public static Dockerfile Load(string path)
    {
        var stages = new List<List<DockerInstruction>>();
        var comments = new List<string>();
        var pending = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('#'))
            {
                comments.Add(line.TrimStart('#').Trim());
                continue;
            }

            pending += (pending.Length > 0 ? " " : "") + line.TrimEnd('\\').Trim();
            if (line.EndsWith('\\') || pending.Length == 0)
            {
                continue;
            }

            var space = pending.IndexOf(' ', StringComparison.Ordinal);
            var instruction = new DockerInstruction(pending[..space].ToUpperInvariant(), pending[(space + 1)..].Trim());
            if (instruction.Keyword == "FROM")
            {
                stages.Add([]);
            }

            stages[^1].Add(instruction);
            pending = "";
        }

        return new Dockerfile(path, stages, comments);
    }

    public string? Single(string keyword) => Runtime.SingleOrDefault(i => i.Keyword == keyword)?.Arguments;

    /// <summary>The runtime stage's ENV, in order (later values win).</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        Runtime.Where(i => i.Keyword == "ENV").SelectMany(i => EnvPair().Matches(i.Arguments))
            .Aggregate(new Dictionary<string, string>(), (env, m) => { env[m.Groups[1].Value] = m.Groups[2].Value.Trim('"'); return env; });

    /// <summary>ENTRYPOINT then CMD, both in exec (JSON) form: the command a container runs.</summary>
    public IReadOnlyList<string> Command =>
        [.. Exec("ENTRYPOINT") ?? throw new InvalidOperationException($"{Path} has no ENTRYPOINT"), .. Exec("CMD") ?? []];

    /// <summary>The arguments the build stage (the one stage that runs it) gives <c>docker/publish.sh</c>.</summary>
    public IReadOnlyList<string> PublishArguments
    {
        get
        {
            var run = Stages.SelectMany(stage => stage).Single(i => i.Keyword == "RUN" && i.Arguments.Contains("docker/publish.sh", StringComparison.Ordinal)).Arguments;
            return run[(run.IndexOf("docker/publish.sh", StringComparison.Ordinal) + "docker/publish.sh".Length)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
    }

    /// <summary>The path the HEALTHCHECK requests on 127.0.0.1: a URL's (wget), or a request line's (bash and /dev/tcp).</summary>
    public string HealthCheckPath => HealthUrl().Match(Single("HEALTHCHECK") ?? "").Groups[1].Value;

    /// <summary>The command the HEALTHCHECK runs: its exec form, or <c>/bin/sh -c</c> and its shell form.</summary>
    public IReadOnlyList<string> HealthCheckCommand
    {
        get
        {
            var check = Single("HEALTHCHECK") ?? throw new InvalidOperationException($"{Path} has no HEALTHCHECK");
            var command = check[(check.IndexOf("CMD ", StringComparison.Ordinal) + "CMD ".Length)..].Trim();
            return command.StartsWith('[')
                ? JsonSerializer.Deserialize<string[]>(command) ?? throw new InvalidOperationException($"the HEALTHCHECK of {Path} is not JSON")
                : ["/bin/sh", "-c", command];
        }
    }

    private string[]? Exec(string keyword) => Single(keyword) is { } json
        ? JsonSerializer.Deserialize<string[]>(json) ?? throw new InvalidOperationException($"{keyword} of {Path} is not in exec form")
        : null;

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)=(""[^""]*""|\S*)")]
    private static partial Regex EnvPair();

    [GeneratedRegex(@"(?:http://127\.0\.0\.1:[^/""\s]+|GET )(/[^""\s]*)")]
    private static partial Regex HealthUrl();
}
