using System.Globalization;

namespace DestinationBench;

/// <summary>The script's variables, checked again here: each a positive whole number.</summary>
public sealed record Settings(int Duration, int Proxies, int Services, int PerProxy, int PodsPerService, int BaselineProxies, string ProxyDll, string Work)
{
    public static Settings? FromEnvironment()
    {
        var errors = new List<string>();
        int Number(string name, int fallback)
        {
            var text = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrEmpty(text))
            {
                return fallback;
            }

            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                errors.Add($"{name} must be a positive whole number, got '{text}'");
            }

            return value;
        }

        var proxies = Number("PROXIES", 1000);
        var settings = new Settings(Number("DURATION", 60), proxies, Number("SERVICES", 200), Number("PER_PROXY", 5), Number("PODS_PER_SERVICE", 3),
            Number("BASELINE_PROXIES", 200), Environment.GetEnvironmentVariable("PROXY_DLL") ?? "", Environment.GetEnvironmentVariable("WORK") ?? Path.GetTempPath());
        if (settings.PerProxy > settings.Services)
        {
            errors.Add($"PER_PROXY ({settings.PerProxy}) must not exceed SERVICES ({settings.Services}): a proxy subscribes to distinct Services");
        }

        if (!File.Exists(settings.ProxyDll))
        {
            errors.Add($"PROXY_DLL must name the published Dashboard.Proxy.dll, got '{settings.ProxyDll}'");
        }

        foreach (var error in errors)
        {
            Console.Error.WriteLine("destination bench: " + error);
        }

        return errors.Count == 0 ? settings : null;
    }
}
