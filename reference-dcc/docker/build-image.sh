#!/usr/bin/env bash
# Publishes the reference DCC and builds its image from an assembled context (Dockerfile, rootfs/, app/) in a
# temporary directory, so neither bin/ nor obj/ of the repository is ever sent to the engine.
#
# Usage: build-image.sh [--tag NAME:TAG] [--base IMAGE] [--app DIR] [--health-path PATH]
#   --tag          image tag (default secdcc/reference-dcc:local)
#   --base         base image (default: secdcc/aspnet-local:10.0 if present, else mcr.microsoft.com/dotnet/aspnet:10.0)
#   --app          an existing `dotnet publish` output to use instead of publishing now
#   --health-path  the path the HEALTHCHECK probes (default: the Dockerfile's, /health/ready)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
reference_dcc="$(dirname "$here")"
tag="secdcc/reference-dcc:local"
base=""
app=""
health_path=""
while [ $# -gt 0 ]; do
    case "$1" in
        --tag) tag="$2"; shift 2 ;;
        --base) base="$2"; shift 2 ;;
        --app) app="$2"; shift 2 ;;
        --health-path) health_path="$2"; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "build-image.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
done
fail() { echo "build-image.sh: $*" >&2; exit 1; }

if [ -z "$base" ]; then
    local_base="$("$here/build-local-base.sh" --print-tag)"
    if docker image inspect "$local_base" >/dev/null 2>&1; then base="$local_base"; else base="mcr.microsoft.com/dotnet/aspnet:10.0"; fi
fi

stage="$(mktemp -d "${TMPDIR:-/tmp}/secdcc-dcc-context.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
if [ -z "$app" ]; then
    app="$stage/app"
    echo "build-image.sh: publishing SecDcc.Dcc.Service to $app"
    dotnet publish "$reference_dcc/SecDcc.Dcc.Service/SecDcc.Dcc.Service.csproj" -c Release -o "$app" --nologo -v quiet \
        || fail "dotnet publish of reference-dcc/SecDcc.Dcc.Service failed — see the errors above"
else
    [ -f "$app/SecDcc.Dcc.Service.dll" ] || fail "$app has no SecDcc.Dcc.Service.dll — pass the output of dotnet publish"
    cp -a "$app" "$stage/app"
fi
cp "$reference_dcc/Dockerfile" "$stage/Dockerfile"
cp -a "$here/rootfs" "$stage/rootfs"
cp "$here/context.dockerignore" "$stage/.dockerignore"
# Readable by the image's non-root user whatever the umask was; executables keep their bit (as DockerDcc does).
chmod -R u+rwX,go+rX,go-w "$stage"

args=(--build-arg "BASE_IMAGE=$base" -t "$tag")
[ -n "$health_path" ] && args+=(--build-arg "HEALTH_PATH=$health_path")
echo "build-image.sh: building $tag on $base"
docker build "${args[@]}" "$stage"
echo "build-image.sh: $tag is $(docker image inspect --format '{{.Size}}' "$tag") bytes ($(docker image inspect --format '{{.Id}}' "$tag"))"
