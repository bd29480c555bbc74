using System.CommandLine;
using System.Text;
using System.Text.RegularExpressions;
using Dashboard.Hosting;

namespace Dashboard.Cli.Inject;

/// <summary>
/// <c>dashboard inject FILE|DIR|-</c>: the manifests with the proxy added to every workload, on standard output, ready
/// for <c>kubectl apply -f -</c>; one line per workload on standard error. Nothing is written when any input is bad.
/// </summary>
internal sealed partial class InjectVerb : ICliVerb
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public Command Create(CliGlobals globals)
    {
        var input = new Argument<string>("input") { Description = "A manifest file, a directory of them (.yaml, .yml, .json), or - for standard input", HelpName = "FILE|DIR|-" };
        var image = new Option<string>("--proxy-image") { Description = "The proxy's image, without tag", DefaultValueFactory = _ => InjectOptions.DefaultProxyImage, HelpName = "IMAGE" };
        var version = new Option<string>("--proxy-version") { Description = "The proxy image's tag [default: this CLI's version]", HelpName = "VERSION" };
        var anchorsFile = new Option<string?>("--identity-trust-anchors-file")
        {
            Description = "PEM of the mesh's trust anchors for the proxies [default: the ConfigMap linkerd-identity-trust-roots of the cluster]", HelpName = "FILE",
        };
        var disableIdentity = new Option<bool>("--disable-identity") { Description = "Run the proxies without identity: no certificate, no mTLS" };
        var manualRedirect = new Option<bool>("--manual-redirect")
        {
            Description = "Add no init container: the cluster redirects the pods' traffic to their proxies another way (as Linkerd's CNI plugin does)",
        };
        var command = new Command("inject", "Add the proxy to every workload of Kubernetes manifests: dashboard inject app.yaml | kubectl apply -f -")
        {
            input, image, version, anchorsFile, disableIdentity, manualRedirect,
        };
        globals.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var imageName = Checked("--proxy-image", parseResult.GetValue(image)!, ImageName());
            var tag = Checked("--proxy-version", parseResult.GetValue(version) ?? BuildVersion.Current, Tag());
            var documents = await ReadAsync(context, parseResult.GetValue(input)!, cancellationToken).ConfigureAwait(false);
            var anchors = await InjectTrustAnchors.ResolveAsync(context, parseResult.GetValue(anchorsFile), parseResult.GetValue(disableIdentity), cancellationToken)
                .ConfigureAwait(false);
            var options = new InjectOptions(imageName, tag, context.ControlPlaneNamespace, anchors) { ManualRedirect = parseResult.GetValue(manualRedirect) };
            var outputs = new List<string>();
            var outcomes = new List<InjectOutcome>();
            foreach (var (source, text) in documents)
            {
                try
                {
                    var (output, injected) = ManifestInjection.Inject(text, source, options);
                    outputs.Add(output);
                    outcomes.AddRange(injected);
                }
                catch (InjectManifestException e)
                {
                    throw CommandException.Failed(e.Message);
                }
            }

            await context.Console.Out.WriteAsync(Join(outputs)).ConfigureAwait(false);
            foreach (var outcome in outcomes)
            {
                await context.Console.Error.WriteLineAsync(outcome.ToString()).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<IReadOnlyList<(string Source, string Text)>> ReadAsync(CliContext context, string input, CancellationToken cancellationToken)
    {
        if (input == "-")
        {
            return [("stdin", await context.Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false))];
        }

        string[] files;
        if (Directory.Exists(input))
        {
            files = [.. Directory.EnumerateFiles(input).Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal)];
            if (files.Length == 0)
            {
                throw CommandException.Usage($"the directory '{input}' holds no {string.Join(", ", Extensions)} files");
            }
        }
        else if (File.Exists(input))
        {
            files = [input];
        }
        else
        {
            throw CommandException.Usage($"the path '{input}' does not exist: give a manifest file, a directory, or - for standard input");
        }

        var texts = new List<(string, string)>();
        foreach (var file in files)
        {
            try
            {
                texts.Add((file, await File.ReadAllTextAsync(file, Encoding.UTF8, cancellationToken).ConfigureAwait(false)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw CommandException.Failed($"cannot read '{file}': {e.Message}");
            }
        }

        return texts;
    }

    /// <summary>Files one after another as one YAML stream.</summary>
    private static string Join(IReadOnlyList<string> outputs)
    {
        var text = new StringBuilder();
        foreach (var output in outputs.Where(o => o.Length > 0))
        {
            if (text.Length > 0)
            {
                text.Append(text[^1] == '\n' ? "" : "\n").Append("---\n");
            }

            text.Append(output);
        }

        return text.ToString();
    }

    private static string Checked(string option, string value, Regex pattern) => pattern.IsMatch(value)
        ? value
        : throw CommandException.Usage($"{option} '{value}' is not a valid {(option == "--proxy-image" ? "image name (registry/path, without a tag)" : "image tag")}");

    // Docker's reference grammar, simplified: lower-case path components, an optional registry host:port.
    [GeneratedRegex(@"^([a-zA-Z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ImageName();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Tag();
}
