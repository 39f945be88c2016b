#!/usr/bin/env bash
# Makes sure a Docker engine is available for SecDcc, for CI and for developers' machines.
#
# Usage: ensure-engine.sh [start]   install docker.io if missing, start dockerd if nothing answers, wait for the
#                                   socket (deadline SECDCC_DOCKER_DEADLINE seconds, default 60), and build the
#                                   local base image if it is absent or stale (skip with SECDCC_SKIP_LOCAL_BASE=1)
#        ensure-engine.sh stop      stop the dockerd that an earlier `start` started — and nothing else
#        ensure-engine.sh status    say whether an engine answers and who started it
#
# Idempotent: a running engine is used as it is and never recorded, so `stop` leaves it alone. What this
# script started is recorded in $SECDCC_STATE_DIR (default /run/secdcc): dockerd.pid, or "systemd" in
# dockerd.how when the engine was started as the docker service.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state_dir="${SECDCC_STATE_DIR:-/run/secdcc}"
deadline_seconds="${SECDCC_DOCKER_DEADLINE:-60}"
log_file="${SECDCC_DOCKERD_LOG:-/var/log/secdcc-dockerd.log}"
socket="/var/run/docker.sock"
case "${DOCKER_HOST:-}" in
    unix://*) socket="${DOCKER_HOST#unix://}" ;;
    "") ;;
    *) echo "ensure-engine.sh: DOCKER_HOST=$DOCKER_HOST is not a unix socket; SecDcc only speaks to a local engine (unset it)" >&2; exit 2 ;;
esac

say() { echo "ensure-engine.sh: $*"; }
fail() { echo "ensure-engine.sh: $*" >&2; exit 1; }

engine_answers() { command -v docker >/dev/null && docker info >/dev/null 2>&1; }

need_root() {
    [ "$(id -u)" = 0 ] || fail "$1 needs root (run with sudo), or ask an administrator to install docker.io and add you to the docker group"
}

install_engine() {
    if command -v dockerd >/dev/null && command -v docker >/dev/null; then
        return
    fi
    need_root "installing docker.io"
    command -v apt-get >/dev/null || fail "no apt-get here: install Docker Engine with this system's package manager"
    say "installing docker.io"
    export DEBIAN_FRONTEND=noninteractive
    # An out-of-date package list is the usual reason a first install fails, so one update and one retry.
    if ! apt-get install -y -q docker.io >/dev/null 2>&1; then
        apt-get update -q >/dev/null
        apt-get install -y -q docker.io >/dev/null
    fi
    command -v dockerd >/dev/null || fail "apt-get installed docker.io but dockerd is not on PATH"
}

wait_for_engine() {
    local until=$(( $(date +%s) + deadline_seconds ))
    while ! engine_answers; do
        if [ "$(date +%s)" -ge "$until" ]; then
            say "no engine answered on $socket within ${deadline_seconds}s; last lines of $log_file:" >&2
            tail -n 20 "$log_file" >&2 2>/dev/null || true
            return 1
        fi
        if [ -f "$state_dir/dockerd.pid" ] && ! kill -0 "$(cat "$state_dir/dockerd.pid")" 2>/dev/null; then
            say "the dockerd started here exited; last lines of $log_file:" >&2
            tail -n 20 "$log_file" >&2 2>/dev/null || true
            rm -f "$state_dir/dockerd.pid" "$state_dir/dockerd.how"
            return 1
        fi
        sleep 0.5
    done
}

start_engine() {
    need_root "starting dockerd"
    mkdir -p "$state_dir"
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
        say "starting the docker service (systemd)"
        systemctl start docker
        echo systemd > "$state_dir/dockerd.how"
    else
        say "starting dockerd (log: $log_file)"
        mkdir -p "$(dirname "$log_file")"
        # setsid: the engine must outlive this script and the CI step that ran it.
        setsid dockerd > "$log_file" 2>&1 < /dev/null &
        echo $! > "$state_dir/dockerd.pid"
        echo process > "$state_dir/dockerd.how"
    fi
}

stop_engine() {
    local how
    how="$(cat "$state_dir/dockerd.how" 2>/dev/null || true)"
    case "$how" in
        systemd)
            say "stopping the docker service this script started"
            systemctl stop docker docker.socket
            ;;
        process)
            local pid
            pid="$(cat "$state_dir/dockerd.pid")"
            if kill -0 "$pid" 2>/dev/null && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]; then
                say "stopping dockerd (pid $pid) that this script started"
                kill -TERM "$pid"
                local until=$(( $(date +%s) + 30 ))
                while kill -0 "$pid" 2>/dev/null; do
                    if [ "$(date +%s)" -ge "$until" ]; then
                        say "dockerd (pid $pid) did not stop within 30s; killing it"
                        kill -KILL "$pid" 2>/dev/null || true
                        break
                    fi
                    sleep 0.5
                done
            else
                say "dockerd (pid $pid) recorded here is no longer running"
            fi
            ;;
        *)
            say "nothing recorded in $state_dir: this script started no engine that is still running; leaving any engine alone"
            return
            ;;
    esac
    rm -f "$state_dir/dockerd.pid" "$state_dir/dockerd.how"
}

case "${1:-start}" in
    start)
        install_engine
        if engine_answers; then
            say "a Docker engine answers on $socket"
        elif pgrep -x dockerd >/dev/null; then
            # Someone else's dockerd is still starting: wait for it, but do not claim it.
            say "dockerd is running but not answering yet; waiting"
            wait_for_engine || fail "the running dockerd did not answer within ${deadline_seconds}s"
        else
            start_engine
            wait_for_engine || fail "dockerd did not come up — see the log lines above"
            say "Docker engine is up on $socket"
        fi
        if [ "${SECDCC_SKIP_LOCAL_BASE:-0}" != 1 ]; then
            "$here/build-local-base.sh"
        fi
        ;;
    stop)
        stop_engine
        ;;
    status)
        if engine_answers; then say "a Docker engine answers on $socket"; else say "no Docker engine answers on $socket"; fi
        if [ -f "$state_dir/dockerd.how" ]; then say "started by this script: $(cat "$state_dir/dockerd.how") $(cat "$state_dir/dockerd.pid" 2>/dev/null || true)"; fi
        ;;
    -h|--help)
        sed -n '2,13p' "$0"
        ;;
    *)
        fail "unknown command '$1' (start, stop, status)"
        ;;
esac
