namespace Dashboard.Cli.Inject;

/// <summary>The input is not a manifest inject can read: the message names the source, document and line.</summary>
public sealed class ManifestException : Exception
{
    public ManifestException()
    {
    }

    public ManifestException(string message)
        : base(message)
    {
    }

    public ManifestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
