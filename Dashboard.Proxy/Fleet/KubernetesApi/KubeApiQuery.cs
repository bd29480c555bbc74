using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>
/// The query parameters the server honours. limit and continue are ignored on purpose: lists are
/// small and always complete, which clients accept (no continue token means the last page).
/// </summary>
internal sealed record KubeApiQuery(
    bool Watch,
    long? ResourceVersion,
    TimeSpan? Timeout,
    FleetLabelSelector Labels,
    FieldSelector Fields,
    string IncludeObject)
{
    public bool Matches(KubeObjectEntry entry) => Labels.Matches(entry.Labels) && Fields.Matches(entry.Object);

    public static bool TryParse(IQueryCollection query, KubeResource resource, out KubeApiQuery result, out string error)
    {
        result = new(false, null, null, FleetLabelSelector.Everything, FieldSelector.Everything, "Metadata");
        string labelText = query["labelSelector"].ToString(), fieldText = query["fieldSelector"].ToString();
        if (!FleetLabelSelector.TryParse(labelText, out var labels, out error))
        {
            error = $"invalid labelSelector \"{labelText}\": {error}";
            return false;
        }
        if (!FieldSelector.TryParse(fieldText, resource.ModelType, out var fields, out error))
        {
            error = $"invalid fieldSelector \"{fieldText}\": {error}";
            return false;
        }
        if (!TryParseResourceVersion(query["resourceVersion"].ToString(), out var resourceVersion))
        {
            error = $"invalid resourceVersion \"{query["resourceVersion"]}\"";
            return false;
        }
        string timeoutText = query["timeoutSeconds"].ToString(), include = query["includeObject"].ToString();
        if (timeoutText.Length > 0 && !int.TryParse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            error = $"invalid timeoutSeconds \"{timeoutText}\"";
            return false;
        }
        if (include is not ("" or "None" or "Metadata" or "Object"))
        {
            error = $"invalid includeObject \"{include}\": must be None, Metadata or Object";
            return false;
        }
        // Go's strconv.ParseBool spellings of true, which is what the real server accepts.
        var watch = query["watch"].ToString() is "1" or "t" or "T" or "true" or "TRUE" or "True";
        TimeSpan? timeout = int.TryParse(timeoutText, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
        result = new(watch, resourceVersion, timeout, labels, fields, include.Length > 0 ? include : "Metadata");
        return true;
    }

    // "" and "0" both mean "any version": a watch then starts with the current objects as ADDED.
    private static bool TryParseResourceVersion(string text, out long? resourceVersion)
    {
        resourceVersion = null;
        if (text is "" or "0")
        {
            return true;
        }
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            resourceVersion = value;
            return true;
        }
        return false;
    }
}
