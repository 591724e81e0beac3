# syntax=docker/dockerfile:1.24@sha256:87999aa3d42bdc6bea60565083ee17e86d1f3339802f543c0d03998580f9cb89
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
# and run scripts/test.sh. For the syntax line, inspect docker/dockerfile:1 and pin the 1.x it names the same way.
# Where the pins come from (this machine has no registry access, so none was read from a registry here):
# - dotnet/sdk:10.0 and dotnet/runtime-deps:10.0: the manifest-list digests the .NET image build recorded for the
#   shared tag 10.0 (SDK 10.0.400, runtime 10.0.11; Ubuntu 24.04 noble; images created 2026-08-17) in
#   github.com/dotnet/versions, build-info/docker/image-info.dotnet-dotnet-docker-main.json, commit 33beaa67
#   (2026-08-20), each image's manifest.digest.
# - docker/dockerfile:1.24: the digest Renovate resolved for that tag on 2026-05-24 (github.com/tgrecojr/whoopster,
#   commit 6a4ecf2); other public Dockerfiles pin the same digest as docker/dockerfile:1.24.0.

# ---- Restore inputs of the Functions build: SDK pin, build settings, central package versions.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0@sha256:e1ffd2a92ae84c1291bc1b6887501f8af98e6331e7af6d4c8d37168c5e87a64c AS restore-inputs
WORKDIR /source
COPY --link global.json Directory.Build.props Directory.Packages.props ./
COPY --link src/QueueInference.Pipeline/QueueInference.Pipeline.csproj src/QueueInference.Pipeline/

# ---- Worker: published as native code (Native AOT) for the target architecture. The ILCompiler links with clang
# against the target's own libraries, so this stage runs on the target platform (emulated when cross-building), not
# on $BUILDPLATFORM as the Functions build does.
FROM mcr.microsoft.com/dotnet/sdk:10.0@sha256:e1ffd2a92ae84c1291bc1b6887501f8af98e6331e7af6d4c8d37168c5e87a64c AS worker-build
ARG TARGETARCH
RUN apt-get update && apt-get install -y --no-install-recommends clang zlib1g-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /source
COPY --link global.json Directory.Build.props Directory.Packages.props ./
COPY --link src/QueueInference.Pipeline/QueueInference.Pipeline.csproj src/QueueInference.Pipeline/
# Add a COPY line here for every project the worker references besides the pipeline.
COPY --link src/QueueInference.Worker/QueueInference.Worker.csproj src/QueueInference.Worker/
RUN dotnet restore -a $TARGETARCH src/QueueInference.Worker/QueueInference.Worker.csproj
COPY --link .editorconfig ./
COPY --link models/ models/
COPY --link src/ src/
# The debug symbols (QueueInference.Worker.dbg) stay in the build stage.
RUN dotnet publish src/QueueInference.Worker/QueueInference.Worker.csproj -a $TARGETARCH --no-restore -c Release -o /app \
    && rm -f /app/*.dbg /app/*.pdb

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
# NOT PINNED BY DIGEST: this machine has no registry access, and no published digest of this tag was found in
# public sources (Azure/azure-functions-docker records none; searched Dockerfiles, Renovate updates and issues,
# 2026-11). Pin it as described above: ...:4-dotnet-isolated10.0@sha256:<index digest>.
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
# A native executable needs no .NET runtime: the runtime-deps image (glibc, OpenSSL, CA certificates) is enough.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0@sha256:9b37bbaf06fc653cb0e757215081139fb493658e1f864a738f6a478620c9196f AS worker
WORKDIR /app
COPY --link --from=worker-build /app .
# Observability:Port (health and metrics).
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["./QueueInference.Worker"]
