namespace Dashboard.Tests.Cli;

/// <summary>A Deployment with two container ports, an init container of its own and every redirect annotation, and its Service.</summary>
public static class TwoPortApp
{
    public const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: orders
          namespace: shop
        spec:
          selector:
            matchLabels: {app: orders}
          template:
            metadata:
              labels:
                app: orders
              annotations:
                config.linkerd.io/skip-inbound-ports: "25, 9000-9100"
                config.linkerd.io/skip-outbound-ports: "5432"
                config.linkerd.io/skip-subnets: 10.96.0.0/12
                config.linkerd.io/opaque-ports: "3306"
            spec:
              initContainers:
              - name: migrate
                image: orders-migrate:1
              containers:
              - name: orders
                image: orders:1
                ports:
                - name: http
                  containerPort: 8080
                - name: mysql
                  containerPort: 3306
        """;

    public const string Service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: orders
          namespace: shop
        spec:
          selector:
            app: orders
          ports:
          - name: http
            port: 80
            targetPort: http
          - name: mysql
            port: 3306
            targetPort: mysql

        """;

    public const string Text = Deployment + "\n---\n" + Service;

    /// <summary>The init flags its annotations ask for, after the proxy's own: tap and admin stay unredirected.</summary>
    public static readonly string[] InitArgs =
    [
        "init", "--incoming-proxy-port", "4143", "--outgoing-proxy-port", "4140", "--proxy-uid", "2102",
        "--inbound-ports-to-ignore", "4190,4191,25,9000-9100", "--outbound-ports-to-ignore", "5432", "--subnets-to-ignore", "10.96.0.0/12",
    ];
}
