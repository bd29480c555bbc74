using Microsoft.Extensions.Options;

namespace Dashboard.Configuration;

/// <summary>
/// Validates <see cref="DashboardOptions"/> once at start-up (<c>ValidateOnStart</c>) and fails with
/// every problem at once, so one failed start shows everything there is to fix.
/// </summary>
public sealed class ValidateDashboardOptions(DashboardEnvironment environment) : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var (_, errors) = DashboardOptionsParser.Parse(options, environment);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
