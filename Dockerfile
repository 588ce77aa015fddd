# The aero node image that k8s/ deploys:
#   docker build -t us-docker.pkg.dev/PROJECT/aero/aero:TAG . && docker push us-docker.pkg.dev/PROJECT/aero/aero:TAG
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish Aero.Node/Aero.Node.csproj -c Release -o /app

# ASP.NET Core runtime: the node serves its admin API, /metrics and /healthz over Kestrel.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# The image's unprivileged user (k8s/deployment.yaml sets runAsNonRoot).
USER $APP_UID
EXPOSE 4053 8558 9110
ENTRYPOINT ["dotnet", "aero.dll"]
# A cluster node that loads Kafka into the warehouse until SIGTERM; other verbs replace it (docker run IMAGE query ...).
CMD ["serve"]
