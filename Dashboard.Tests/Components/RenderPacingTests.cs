using Dashboard.Model;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Tests.Components;

/// <summary>
/// How live pages pace their renders: never a new render before the browser showed the last one, so a slow browser
/// gets fewer, fresher renders rather than a queue of stale ones; and a browser that never answers does not stop them.
/// </summary>
public sealed class RenderPacingTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task No_render_starts_before_the_last_one_was_shown_and_what_came_meanwhile_renders_after_it()
    {
        var renders = new List<TaskCompletionSource>();
        using var throttle = new RenderThrottle(Interval, _time, () =>
        {
            // Continuations run inside SetResult: the throttle has seen a render end before the test moves the clock
            // (run elsewhere, it could read the clock before an Advance and start its timer after it).
            var shown = new TaskCompletionSource();
            renders.Add(shown);
            return shown.Task;
        });

        throttle.Request();
        Assert.Single(renders);

        // The browser takes a second to show it: requests meanwhile wait, however long the interval has been over.
        _time.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 100; i++)
        {
            throttle.Request();
        }

        Assert.Single(renders);
        renders[0].SetResult();
        await TestTimeouts.Eventually(() => Task.FromResult(renders.Count == 2), "the render of what came while the first was on its way");

        // Shown at once, the next request keeps to the interval as before.
        renders[1].SetResult();
        throttle.Request();
        _time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, renders.Count);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await TestTimeouts.Eventually(() => Task.FromResult(renders.Count == 3), "the third render at the end of the interval");
    }

    [Fact]
    public async Task A_render_completes_once_the_component_says_it_was_shown()
    {
        var stateChanges = 0;
        var render = new ShownRender(work => { work(); return Task.CompletedTask; }, () => stateChanges++, _time);

        var rendering = render.RenderAsync();

        Assert.Equal(1, stateChanges);
        Assert.False(rendering.IsCompleted);
        render.Shown();
        await rendering.Within();
    }

    [Fact]
    public async Task A_render_never_shown_stops_waiting_after_the_bound()
    {
        var render = new ShownRender(work => { work(); return Task.CompletedTask; }, () => { }, _time);

        var rendering = render.RenderAsync();
        _time.Advance(ShownRender.MaxWait - TimeSpan.FromMilliseconds(1));
        Assert.False(rendering.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await rendering.Within();
    }

    [Fact]
    public async Task A_renderer_that_shows_within_state_has_changed_completes_the_render_at_once()
    {
        ShownRender? render = null;
        render = new ShownRender(work => { work(); return Task.CompletedTask; }, () => render!.Shown(), _time);

        await render.RenderAsync().Within();
    }
}
