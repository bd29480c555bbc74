using Dashboard.Graph;

namespace Dashboard.Tests.Graph;

/// <summary>The graph's find and hide expressions: each field and operator, how clauses combine, and what a bad one is told.</summary>
public sealed class GraphFindTests
{
    private static readonly GraphSubject Api = new("api", "shop", true, 12.5, 0.97, 5, 120, 300, "mixed");
    private static readonly GraphSubject Db = new("db", "shop", true, 3, 1, 2, 8, 15, "true");
    private static readonly GraphSubject Idle = new("legacy", "default", false, null, null, null, null, null, null);

    private static GraphFind Find(string text)
    {
        Assert.True(GraphFind.TryParse(text, out var find, out var error), error);
        return find;
    }

    private static IEnumerable<string> Matching(string text) => new[] { Api, Db, Idle }.Where(Find(text).Matches).Select(s => s.Name);

    [Theory]
    [InlineData("sr < 99", "api")]
    [InlineData("sr >= 99", "db")]
    [InlineData("rps > 1", "api,db")]
    [InlineData("rps <= 3", "db")]
    [InlineData("p95 > 100ms", "api")]
    [InlineData("p95 > 100", "api")]
    [InlineData("p99 >= 1s", "")]
    [InlineData("p99 >= 300ms", "api")]
    [InlineData("p50 = 2", "db")]
    [InlineData("p50 != 2", "api")]
    [InlineData("name = api*", "api")]
    [InlineData("name = A", "api,legacy")]
    [InlineData("name != *a*", "db")]
    [InlineData("ns = shop", "api,db")]
    [InlineData("namespace = def*", "legacy")]
    [InlineData("tls", "db")]
    [InlineData("!tls", "api")]
    [InlineData("meshed", "api,db")]
    [InlineData("!meshed", "legacy")]
    public void Each_field_and_operator_selects_what_it_says(string expression, string names)
    {
        Assert.Equal(names.Length == 0 ? [] : names.Split(','), Matching(expression));
    }

    [Fact]
    public void And_binds_tighter_than_or()
    {
        Assert.Equal(["api"], Matching("ns = shop and sr < 99"));
        Assert.Equal(["api"], Matching("ns = shop, sr < 99"));
        Assert.Equal(["api", "legacy"], Matching("sr < 99 or !meshed"));
        Assert.Equal(["api", "db"], Matching("name = db or ns = shop AND p95 > 100ms"));
        Assert.Equal(["api"], Matching("rps > 1 && !tls || name = nothing"));
    }

    [Theory]
    [InlineData("", "an empty expression; expected a comparison such as 'sr < 99', 'p95 > 100ms' or 'name = api*'")]
    [InlineData("speed > 1", "'speed > 1' in 'speed > 1': unknown field 'speed'; expected one of sr, rps, p50, p95, p99, name, ns, tls, meshed")]
    [InlineData("p95 > fast", "'p95 > fast' in 'p95 > fast': expected a latency such as 100 (ms), 100ms or 1s, got 'fast'")]
    [InlineData("sr < high", "'sr < high' in 'sr < high': expected a success rate in percent such as 99 or 99.5, got 'high'")]
    [InlineData("rps > -1", "'rps > -1' in 'rps > -1': expected requests per second such as 1 or 0.5, got '-1'")]
    [InlineData("name > a", "'name > a' in 'name > a': 'name' is compared with = or != (wildcards: 'api*')")]
    [InlineData("tls = true", "'tls = true' in 'tls = true': 'tls' is a flag: write 'tls' or '!tls'")]
    [InlineData("rps", "'rps' in 'rps': 'rps' needs an operator and a value, such as 'rps > 1'")]
    [InlineData("!sr < 99", "'!sr < 99' in '!sr < 99': '!' goes before a flag ('!tls', '!meshed'); for a comparison write its opposite ('sr >= 99')")]
    [InlineData("rps > 1 and", "'rps > 1 and' in 'rps > 1 and': expected FIELD OPERATOR VALUE (such as 'rps > 1') or a flag ('tls', '!meshed')")]
    [InlineData("p99 >= 0.3s", "'p99 >= 0.3s' in 'p99 >= 0.3s': expected a latency such as 100 (ms), 100ms or 1s, got '0.3s'")]
    [InlineData("sr << 9", "'sr << 9' in 'sr << 9': expected FIELD OPERATOR VALUE (such as 'rps > 1') or a flag ('tls', '!meshed')")]
    public void A_bad_expression_says_which_part_and_what_was_expected(string expression, string message)
    {
        Assert.False(GraphFind.TryParse(expression, out _, out var error));
        Assert.Equal(message, error);
    }
}
