#!/usr/bin/env bash
# Builds a local stand-in for mcr.microsoft.com/dotnet/aspnet:10.0 from this host's own files, for machines
# that cannot reach an image registry. The result has the same shape the Dockerfile relies on: the .NET and
# ASP.NET Core shared runtimes under /usr/share/dotnet with /usr/bin/dotnet, bash, coreutils, CA certificates,
# tzdata, and a non-root user "app" with uid/gid 1654 (APP_UID, as in the Microsoft images).
#
# It needs a Debian/Ubuntu host (dpkg-query, dpkg -L) with the .NET 10 runtimes installed (the SDK brings them)
# and a running Docker engine. Globalization is invariant (no libicu), which is what Directory.Build.props asks
# of every SecDcc project anyway.
#
# Usage: build-local-base.sh [--tag NAME:TAG] [--dotnet-root DIR] [--force] [--print-tag]
# Idempotent: an image with the same tag and the same input fingerprint is left alone.
set -euo pipefail

tag="${SECDCC_LOCAL_BASE_IMAGE:-secdcc/aspnet-local:10.0}"
dotnet_root="${DOTNET_ROOT:-/usr/share/dotnet}"
force=0

while [ $# -gt 0 ]; do
    case "$1" in
        --tag) tag="$2"; shift 2 ;;
        --dotnet-root) dotnet_root="$2"; shift 2 ;;
        --force) force=1; shift ;;
        --print-tag) echo "$tag"; exit 0 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "build-local-base.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
done

fail() { echo "build-local-base.sh: $*" >&2; exit 1; }

command -v docker >/dev/null || fail "the docker CLI is not on PATH — run reference-dcc/docker/ensure-engine.sh first"
command -v dpkg-query >/dev/null || fail "this script assembles the image from Debian packages on the host; dpkg-query is missing (use a Debian/Ubuntu host, or pull mcr.microsoft.com/dotnet/aspnet:10.0 instead)"
docker info >/dev/null 2>&1 || fail "no Docker engine answers (docker info failed) — run reference-dcc/docker/ensure-engine.sh"

# The newest 10.x of each shared runtime; both must be the same servicing version, as in the aspnet image.
latest_runtime() {
    local dir="$dotnet_root/shared/$1"
    [ -d "$dir" ] || fail "$dir does not exist — install the .NET 10 SDK or runtime (apt-get install dotnet-sdk-10.0) or pass --dotnet-root"
    find "$dir" -mindepth 1 -maxdepth 1 -type d -name '10.*' -printf '%f\n' | sort -V | tail -n 1
}
netcore_version="$(latest_runtime Microsoft.NETCore.App)"
aspnet_version="$(latest_runtime Microsoft.AspNetCore.App)"
[ -n "$netcore_version" ] || fail "no 10.x runtime under $dotnet_root/shared/Microsoft.NETCore.App"
[ -n "$aspnet_version" ] || fail "no 10.x runtime under $dotnet_root/shared/Microsoft.AspNetCore.App"

# What the runtime and the image's scripts load: glibc, the C++ runtime, OpenSSL, zlib (System.IO.Compression),
# tzdata (TimeZoneInfo, e.g. Europe/London for the DCC's daily rules), CA certificates (outbound TLS), bash for
# the entrypoint and health check, dash as /bin/sh and coreutils for the Dockerfile's RUN steps, and their
# shared libraries.
packages=(libc6 libgcc-s1 libstdc++6 libssl3 zlib1g tzdata ca-certificates
          bash libtinfo6 dash coreutils libacl1 libattr1 libselinux1 libpcre2-8-0 libgmp10)

fingerprint_input="$netcore_version $aspnet_version"
for p in "${packages[@]}"; do
    v="$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null)" || fail "package $p is not installed on this host (apt-get install $p)"
    fingerprint_input+=" $p=$v"
done
fingerprint="$(printf '%s' "$fingerprint_input" | sha256sum | cut -c1-16)"

existing="$(docker image inspect --format '{{ index .Config.Labels "org.secdcc.base.fingerprint" }}' "$tag" 2>/dev/null || true)"
if [ "$force" = 0 ] && [ "$existing" = "$fingerprint" ]; then
    echo "build-local-base.sh: $tag is up to date (fingerprint $fingerprint)"
    exit 0
fi

# The image this build replaces, removed afterwards unless images built on it still need it.
previous="$(docker image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)"

work="$(mktemp -d "${TMPDIR:-/tmp}/secdcc-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/{etc,tmp,home/app,root,var/tmp,run}
# Merged /usr, as in Debian 12 and the Microsoft images: dpkg still lists /lib/... paths.
ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"; ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
chmod 1777 "$root/tmp" "$root/var/tmp"

# Copy each package's files (not its docs, man pages or translations) to its canonical /usr path.
: > "$work/files"
for p in "${packages[@]}"; do
    dpkg -L "$p" >> "$work/files"
done
grep -vE '^/usr/share/(doc|man|info|locale|lintian|bug)/|^/usr/lib/x86_64-linux-gnu/gconv/|^/\.$' "$work/files" \
    | sort -u > "$work/files.kept"
while IFS= read -r f; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    [ -d "$f" ] && [ ! -L "$f" ] && continue
    dir="$(readlink -f "$(dirname "$f")")"
    mkdir -p "$root$dir"
    cp -a "$f" "$root$dir/"
done < "$work/files.kept"

# update-ca-certificates writes these; they are not package files.
mkdir -p "$root/etc/ssl/certs"
cp -a /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"

# The .NET host and both shared runtimes, nothing of the SDK.
d="$root/usr/share/dotnet"
mkdir -p "$d/shared/Microsoft.NETCore.App" "$d/shared/Microsoft.AspNetCore.App"
cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$d/"
cp -a "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$d/" 2>/dev/null || true
cp -a "$dotnet_root/shared/Microsoft.NETCore.App/$netcore_version" "$d/shared/Microsoft.NETCore.App/"
cp -a "$dotnet_root/shared/Microsoft.AspNetCore.App/$aspnet_version" "$d/shared/Microsoft.AspNetCore.App/"
ln -sf /usr/share/dotnet/dotnet "$root/usr/bin/dotnet"

cat > "$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/bash
app:x:1654:1654:app:/home/app:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat > "$root/etc/group" <<'EOF'
root:x:0:
app:x:1654:
nogroup:x:65534:
EOF
echo 'hosts: files dns' > "$root/etc/nsswitch.conf"
cp /etc/os-release "$root/etc/os-release"
ln -sf /usr/share/zoneinfo/Etc/UTC "$root/etc/localtime"
echo 'Etc/UTC' > "$root/etc/timezone"
chown 1654:1654 "$root/home/app"

echo "build-local-base.sh: importing $(du -sh "$root" | cut -f1) rootfs as $tag (.NET $netcore_version, ASP.NET Core $aspnet_version)"
tar --numeric-owner -C "$root" -cf - . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV APP_UID=1654' \
    --change 'ENV ASPNETCORE_HTTP_PORTS=8080' \
    --change 'ENV DOTNET_RUNNING_IN_CONTAINER=true' \
    --change 'ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true' \
    --change "ENV DOTNET_VERSION=$netcore_version" \
    --change "ENV ASPNET_VERSION=$aspnet_version" \
    --change "LABEL org.secdcc.base.fingerprint=$fingerprint" \
    --change 'LABEL org.secdcc.base.source=host-rootfs' \
    --change 'CMD ["bash"]' \
    - "$tag" >/dev/null

# Prove the image can do what the Dockerfile needs before anyone builds on it.
docker run --rm --network none "$tag" /bin/sh -c 'dotnet --list-runtimes && mkdir -p /tmp/probe && chown 1654:1654 /tmp/probe' \
    || fail "the imported image $tag cannot run dotnet or coreutils — see the output above"
echo "build-local-base.sh: built $tag ($(docker image inspect --format '{{.Size}}' "$tag") bytes)"
if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect --format '{{.Id}}' "$tag")" ]; then
    docker rmi "$previous" >/dev/null 2>&1 \
        && echo "build-local-base.sh: removed the previous $tag ($previous)" \
        || echo "build-local-base.sh: kept the previous $tag ($previous): images or containers still use it"
fi
