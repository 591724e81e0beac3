# syntax=docker/dockerfile:1@sha256:87999aa3d42bdc6bea60565083ee17e86d1f3339802f543c0d03998580f9cb89
# (BuildKit's Dockerfile frontend, pinned: this file uses COPY --link, a BuildKit feature.)
# Two images from one build context, the repository root. Always name the target:
#   docker build --target functions -t queue-inference-functions .   # Azure Functions host + isolated worker
#   docker build --target worker    -t queue-inference-worker .      # plain .NET worker host
# Layout after dotnet/dotnet-docker samples/dotnetapp (restore in its own layer, publish --no-restore) and the
# Core Tools' Dockerfile.dotnet10Isolated (Functions base image, AzureWebJobsScriptRoot). Notes: docs/functions.md.
# The model ships inside both images: the pipeline project copies models/model.onnx into each app's publish output.
#
# Base images are pinned by digest (tag@sha256:...), so a rebuild gives the same bits until a pin is bumped on
# purpose; the tag stays beside it to say what the digest is. To bump one (at least monthly: Microsoft refreshes
# these images with security fixes): `docker buildx imagetools inspect <image>:<tag>`, copy the "Digest:" of the
# multi-platform index (not of one platform's manifest), replace the sha256 after that tag, build both targets
# and run scripts/test.sh. Same for the syntax line above (docker/dockerfile:1). The digests below were taken from
# public Dockerfiles that pin the same tags; they were not checked against the registry where they were written.

# ---- Restore inputs shared by both builds: SDK pin, build settings, central package versions.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0@sha256:ea8bde36c11b6e7eec2656d0e59101d4462f6bd630730f2c8201ed0572b295d5 AS restore-inputs
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

# ---- The Functions image. The base image sets FUNCTIONS_WORKER_RUNTIME=dotnet-isolated and HOME=/home, and runs the
# host from /azure-functions-host on ASPNETCORE_URLS (port 80 there). It is built on the .NET aspnet image, whose
# non-root user is UID 1654 (APP_UID); a non-root user cannot bind port 80, so the host listens on 8081 instead.
# NOT PINNED BY DIGEST: no digest of this tag could be looked up where this file was last changed (no registry
# access); pin it as described above, e.g. ...:4-dotnet-isolated10.0@sha256:<index digest>.
FROM mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0 AS functions
ENV AzureWebJobsScriptRoot=/home/site/wwwroot \
    AzureFunctionsJobHost__Logging__Console__IsEnabled=true \
    ASPNETCORE_URLS=http://+:8081
COPY --link --from=functions-build /home/site/wwwroot /home/site/wwwroot
# The Functions host; Observability:Port (/metrics of the worker process) is 8080.
EXPOSE 8081
# Numeric, so it needs no passwd entry; the chart's pod security context names the same UID.
USER 1654

# ---- The worker image (the default target when none is named).
# The ASP.NET Core runtime image: the worker is a Web SDK app (Kestrel serves health and metrics).
FROM mcr.microsoft.com/dotnet/aspnet:10.0@sha256:1fa23fc4872d95fd71c2833ebe65d7e84a43b2d51a31d119516852f13d9505a7 AS worker
WORKDIR /app
COPY --link --from=worker-build /app .
# Observability:Port (health and metrics).
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "QueueInference.Worker.dll"]
