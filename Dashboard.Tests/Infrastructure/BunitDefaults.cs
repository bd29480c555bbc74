using System.Runtime.CompilerServices;

namespace Dashboard.Tests.Infrastructure;

internal static class BunitDefaults
{
    /// <summary>
    /// bUnit's WaitFor* give up after one second by default: the suite's parallel fleets and browsers on two cores
    /// can hold a render back longer than that, so they wait as long as every other await here.
    /// </summary>
    [ModuleInitializer]
    internal static void WaitAsLongAsEveryOtherAwait() => Bunit.BunitContext.DefaultWaitTimeout = TestTimeouts.Default;
}
