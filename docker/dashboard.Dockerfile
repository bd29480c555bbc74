# The dashboard (Blazor Server) on port 8084. Build from the repository root:
#   docker build -f docker/dashboard.Dockerfile -t dashboard/dashboard:dev .
# Configured by Dashboard__* variables (README, "The dashboard's configuration"); in a cluster:
#   Dashboard__Kubernetes__InCluster=true, Dashboard__Prometheus__Url=http://prometheus:9090.
# Runs as a non-root user and writes nothing outside /tmp: run it with a read-only root filesystem and a
# writable /tmp (emptyDir, tmpfs).

# The chart library comes from npm (wwwroot-assets, pinned by its lock file); the SDK image has no npm.
FROM node:20-alpine AS assets
WORKDIR /src/wwwroot-assets
COPY wwwroot-assets/package.json wwwroot-assets/package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
COPY --from=assets /src/wwwroot-assets/node_modules wwwroot-assets/node_modules
RUN sh docker/publish.sh dashboard /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0-alpine
WORKDIR /app
COPY --from=build /out .
ENV ASPNETCORE_HTTP_PORTS=8084
LABEL org.opencontainers.image.title="dashboard" \
      org.opencontainers.image.description="Service-mesh dashboard: success rate, RPS, latency and live tap per namespace, workload and pod"
EXPOSE 8084
# The aspnet images' unprivileged user "app".
USER 1654:1654
# A static file: proves the app serves without waiting on Prometheus or the Kubernetes API.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD wget -q -O /dev/null "http://127.0.0.1:${ASPNETCORE_HTTP_PORTS}/css/dashboard.css" || exit 1
ENTRYPOINT ["dotnet", "dashboard.dll", "serve"]
