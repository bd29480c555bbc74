namespace Dashboard.Cli.Inject;

/// <summary>The input is not a manifest inject can read: the message names the source, document and line.</summary>
public sealed class InjectManifestException : Exception
{
    public InjectManifestException()
    {
    }

    public InjectManifestException(string message)
        : base(message)
    {
    }

    public InjectManifestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
