namespace Dashboard.Tests.Infrastructure;

/// <summary>
/// Output compared with a file checked in beside the tests. <c>UPDATE_GOLDEN=1</c> rewrites the file with the actual
/// output instead (review the diff before committing it); otherwise a difference fails with the first line that differs.
/// </summary>
public static class GoldenFile
{
    public const string UpdateVariable = "UPDATE_GOLDEN";

    /// <param name="relativePath">From the repository's root: <c>Dashboard.Tests/Cli/Golden/diagnose.txt</c>.</param>
    public static void AssertMatches(string relativePath, string actual)
    {
        var path = Path.Combine(RepoPaths.Root, relativePath);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"{relativePath} does not exist: run the test with {UpdateVariable}=1 to write it");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected == actual)
        {
            return;
        }

        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        var first = Enumerable.Range(0, Math.Max(expectedLines.Length, actualLines.Length))
            .First(i => i >= expectedLines.Length || i >= actualLines.Length || expectedLines[i] != actualLines[i]);
        Assert.Fail($"""
            {relativePath} differs at line {first + 1} (run with {UpdateVariable}=1 to accept the new output):
            - {(first < expectedLines.Length ? expectedLines[first] : "(end of file)")}
            + {(first < actualLines.Length ? actualLines[first] : "(end of output)")}
            --- actual output
            {actual}
            """);
    }
}
