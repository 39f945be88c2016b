#!/usr/bin/env bash
# Makes the bench bundle: the secdcc program and the reference DCC published self-contained for linux-x64, with the
# features, rigs and report configuration beside them, so a bench runs the suite with no .NET SDK or runtime.
#   scripts/publish.sh [--out DIR] [--version V] [--no-report-renderer]
# Writes DIR/secdcc-V-linux-x64/ and DIR/secdcc-V-linux-x64.tar.gz (DIR defaults to out/bundle, V to `git describe`)
# and prints the folder's path as its only standard output.
# The layout and why: docs/decisions/0720-bench-bundle.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

out=$root/out/bundle
version=
renderer=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=${2:?--out needs a directory}; shift 2 ;;
    --version) version=${2:?--version needs a value, e.g. 1.2.0}; shift 2 ;;
    --no-report-renderer) renderer=no; shift ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "publish: unknown option '$1'; the options are --out DIR, --version V and --no-report-renderer" >&2; exit 2 ;;
  esac
done
case "$version" in
  "") version=$(git describe --tags --always --dirty 2>/dev/null || echo dev) ;;
  */*|*" "*) echo "publish: --version '$version' must not contain '/' or spaces (it names the bundle's folder)" >&2; exit 2 ;;
esac
mkdir -p "$out"
out=$(cd "$out" && pwd)
rid=linux-x64
name=secdcc-$version-$rid
bundle=$out/$name

log() { echo "publish: $*" >&2; }

# The bundle's Allure generator comes from reports/node_modules, which setup installs.
if [ "$renderer" = yes ]; then scripts/setup.sh run >&2; fi

rm -rf "$bundle" "$bundle.tar.gz"
# Each commit names a new bundle; in the default folder, drop older ones rather than let them pile up (a folder given
# with --out is the caller's to tidy).
if [ "$out" = "$root/out/bundle" ]; then rm -rf "$out"/secdcc-*-"$rid" "$out"/secdcc-*-"$rid".tar.gz; fi
mkdir -p "$bundle"

# A separate artifacts folder keeps these RID-specific builds out of the checkout's bin/ folders, where the
# harness looks for the newest reference DCC build.
publish() { # project, destination
  log "dotnet publish ${1#$root/} -> ${2#$out/}"
  dotnet publish "$1" -c Release -r "$rid" --self-contained -o "$2" --artifacts-path "$root/out/publish-build" \
    -p:InformationalVersion="$version" -p:SatelliteResourceLanguages=en --nologo -v q -clp:ErrorsOnly >&2
}
publish cli/SecDcc.Cli/SecDcc.Cli.csproj "$bundle/app"
publish reference-dcc/SecDcc.Dcc.Service/SecDcc.Dcc.Service.csproj "$bundle/dcc"
# The build copies features/ beside the program; the bundle keeps its one copy at the top, where benches read it.
rm -rf "$bundle/app/features"

cp -R features "$bundle/features"
mkdir -p "$bundle/rigs"
cp rigs/*.yaml rigs/README.md "$bundle/rigs/"
cp -R rigs/models rigs/trust-anchors rigs/combinations "$bundle/rigs/"
mkdir -p "$bundle/reports"
cp reports/allurerc.mjs reports/package.json reports/package-lock.json "$bundle/reports/"
if [ "$renderer" = yes ]; then cp -R reports/node_modules "$bundle/reports/node_modules"; fi
cp scripts/bundle/README.md "$bundle/README.md"

commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
cat > "$bundle/secdcc-bundle.json" <<JSON
{
  "version": "$version",
  "commit": "$commit",
  "runtimeIdentifier": "$rid",
  "builtAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "reportRenderer": "$renderer"
}
JSON
# A relative link, so the folder can be moved; the program resolves its real path and finds app/ and the rest.
ln -s app/secdcc "$bundle/secdcc"

tar -C "$out" -czf "$bundle.tar.gz" "$name"
log "bundle: $bundle ($(du -sh "$bundle" | cut -f1) on disk)"
log "archive: $bundle.tar.gz ($(du -h "$bundle.tar.gz" | cut -f1))"
echo "$bundle"
