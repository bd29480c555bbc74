using Dashboard.Kubernetes;

namespace Dashboard.Cli.Check;

/// <summary>Runs categories in order, one check at a time, reporting each result as it comes; stops after a fatal failure.</summary>
public static class CheckRunner
{
    /// <returns>Whether no check failed (warnings pass).</returns>
    public static async Task<bool> RunAsync(
        IEnumerable<CheckCategory> categories, CheckContext context,
        Func<CheckCategory, HealthCheck, CheckResult, Task> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        var success = true;
        foreach (var category in categories)
        {
            foreach (var check in category.Checks)
            {
                CheckResult? result;
                try
                {
                    result = await check.RunAsync(context, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    result = CheckResult.Fail(e is CommandException ? e.Message : ConnectionTracker.Describe(e));
                }

                if (result is null)
                {
                    continue;
                }

                await report(category, check, result).ConfigureAwait(false);
                if (result.Status == CheckStatus.Fail)
                {
                    success = false;
                    if (check.Fatal)
                    {
                        return false;
                    }
                }
            }
        }

        return success;
    }
}
