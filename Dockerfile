# Two images from one build context, the repository root. Always name the target:
#   docker build --target functions -t queue-inference-functions .   # Azure Functions host + isolated worker
#   docker build --target worker    -t queue-inference-worker .      # plain .NET worker host
# Layout after dotnet/dotnet-docker samples/dotnetapp (restore in its own layer, publish --no-restore) and the
# Core Tools' Dockerfile.dotnet10Isolated (Functions base image, AzureWebJobsScriptRoot). Notes: docs/functions.md.
# The model ships inside both images: the pipeline project copies models/model.onnx into each app's publish output.

# ---- Restore inputs shared by both builds: SDK pin, build settings, central package versions.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS restore-inputs
WORKDIR /source
COPY --link global.json Directory.Build.props Directory.Packages.props ./
COPY --link src/QueueInference.Pipeline/QueueInference.Pipeline.csproj src/QueueInference.Pipeline/

# ---- Worker: restored and published for the target architecture (only its native ONNX Runtime library ships).
FROM restore-inputs AS worker-build
ARG TARGETARCH
# Add a COPY line here for every project the worker references besides the pipeline.
COPY --link src/QueueInference.Worker/QueueInference.Worker.csproj src/QueueInference.Worker/
RUN dotnet restore -a $TARGETARCH src/QueueInference.Worker/QueueInference.Worker.csproj
COPY --link .editorconfig ./
COPY --link models/ models/
COPY --link src/ src/
RUN dotnet publish src/QueueInference.Worker/QueueInference.Worker.csproj -a $TARGETARCH --no-restore -c Release -o /app

# ---- Functions app: portable publish, as the Core Tools template does. The Worker Sdk restores and builds its
# generated extensions project (the host's RabbitMQ extension) during publish, so that step needs the feed too.
FROM restore-inputs AS functions-build
COPY --link FunctionApp/FunctionApp.csproj FunctionApp/
RUN dotnet restore FunctionApp/FunctionApp.csproj
COPY --link .editorconfig host.json ./
COPY --link models/ models/
COPY --link src/QueueInference.Pipeline/ src/QueueInference.Pipeline/
COPY --link FunctionApp/ FunctionApp/
RUN dotnet publish FunctionApp/FunctionApp.csproj --no-restore -c Release -o /home/site/wwwroot

# ---- The Functions image. The base image sets FUNCTIONS_WORKER_RUNTIME=dotnet-isolated and runs the host on port 80.
FROM mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0 AS functions
ENV AzureWebJobsScriptRoot=/home/site/wwwroot \
    AzureFunctionsJobHost__Logging__Console__IsEnabled=true
COPY --link --from=functions-build /home/site/wwwroot /home/site/wwwroot

# ---- The worker image (the default target when none is named).
# The ASP.NET Core runtime image: the worker is a Web SDK app (Kestrel serves health and metrics).
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS worker
WORKDIR /app
COPY --link --from=worker-build /app .
# Observability:Port (health and metrics).
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "QueueInference.Worker.dll"]
