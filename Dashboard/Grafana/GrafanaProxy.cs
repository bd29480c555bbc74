using Dashboard.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Dashboard.Grafana;

/// <summary>
/// With <c>Grafana:Proxy</c>, the dashboard forwards <c>/grafana/…</c> to an in-cluster Grafana, so one
/// <c>port-forward</c> of the dashboard reaches both. Grafana must serve from that sub-path
/// (<c>GF_SERVER_ROOT_URL=…/grafana/</c>, <c>GF_SERVER_SERVE_FROM_SUB_PATH=true</c>): the path is kept as it is.
/// </summary>
public static class GrafanaProxy
{
    public const string PathPrefix = "/grafana";

    public static IServiceCollection AddGrafanaProxy(this IServiceCollection services) => services.AddHttpForwarder();

    public static void MapGrafanaProxy(this WebApplication app)
    {
        if (app.Services.GetRequiredService<DashboardSettings>().Grafana is not { Proxy: true } grafana)
        {
            return;
        }

        var client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        });
        var destination = grafana.Url.GetLeftPart(UriPartial.Authority);
        var config = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(60) };
        app.Map(PathPrefix + "/{**rest}", async (HttpContext context, IHttpForwarder forwarder) =>
        {
            var error = await forwarder.SendAsync(context, destination, client, config, HttpTransformer.Default);
            if (error != ForwarderError.None && !context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
                await context.Response.WriteAsync($"Grafana at {destination} did not answer ({error}); check Dashboard:Grafana:Url.\n");
            }
        });
    }
}
