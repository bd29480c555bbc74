namespace Dashboard.Tests.Infrastructure;

/// <summary>A hung await fails its test with where it hung, not with a stack into the helper.</summary>
public sealed class TestTimeoutsTests
{
    [Fact]
    public async Task An_await_that_does_not_finish_names_its_file_and_line()
    {
        var never = new TaskCompletionSource<int>();

        var thrown = await Assert.ThrowsAsync<TimeoutException>(() => never.Task.Within(TimeSpan.FromMilliseconds(1))).Within();

        Assert.Equal("the await at Dashboard.Tests/Infrastructure/TestTimeoutsTests.cs:11 did not finish within 0.001 s", thrown.Message);
    }

    [Fact]
    public async Task A_task_that_throws_a_timeout_of_its_own_passes_it_on_unchanged()
    {
        var own = new TimeoutException("the upstream was silent");

        var thrown = await Assert.ThrowsAsync<TimeoutException>(() => Task.FromException(own).Within()).Within();

        Assert.Same(own, thrown);
    }

    [Fact]
    public async Task A_condition_that_never_holds_names_the_wait_and_its_place()
    {
        var thrown = await Assert.ThrowsAsync<TimeoutException>(() => TestTimeouts.Eventually(() => Task.FromResult(false), "the moon", TimeSpan.FromMilliseconds(1))).Within();

        Assert.Equal("Dashboard.Tests/Infrastructure/TestTimeoutsTests.cs:29: still waiting after 0.001 s for the moon", thrown.Message);
    }
}
