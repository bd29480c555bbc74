namespace Dashboard.Tests.Cli;

/// <summary>A chart's rendered manifests, the input of the inject tests.</summary>
public static class ShopChart
{
    /// <summary>What <c>helm template</c> prints: a leading separator, "# Source:" comments, every workload kind and a ConfigMap.</summary>
    public const string Text = """
        ---
        # Source: shop/templates/config.yaml
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: shop-config   # read by every pod
        data:
          port: "8080"
          debug: 'false'
        ---
        # Source: shop/templates/web.yaml
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: web
                image: "nginx:1.27"
                ports:
                - containerPort: 8081
                  name: http
        ---
        # Source: shop/templates/db.yaml
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: db
        spec:
          serviceName: db
          selector:
            matchLabels:
              app: db
          template:
            metadata:
              labels:
                app: db
            spec:
              containers:
                - name: db
                  image: postgres:17
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: agent
        spec:
          selector:
            matchLabels:
              app: agent
          template:
            metadata:
              labels:
                app: agent
            spec:
              containers:
              - name: agent
                image: busybox
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: legacy
        spec:
          selector:
            matchLabels:
              app: legacy
          template:
            metadata:
              labels:
                app: legacy
            spec:
              containers:
              - name: legacy
                image: busybox
        ---
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: migrate
        spec:
          template:
            spec:
              restartPolicy: Never
              containers:
              - name: migrate
                image: busybox
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: nightly
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: OnFailure
                  containers:
                  - name: report
                    image: busybox
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: debug
          labels:
            app: debug
        spec:
          containers:
          - name: shell
            image: busybox
        ---
        # Source: shop/templates/service.yaml
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector:
            app: web
          ports:
          - port: 80
            targetPort: http

        """;
}
