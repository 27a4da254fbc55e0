#!/usr/bin/env bash
# with-postgres.sh CMD [ARGS…] — runs CMD against a throwaway PostgreSQL server.
#
# Starts a private server from Debian's postgresql package (initdb into a new temp directory,
# listening on 127.0.0.1 at a free port and on a unix socket inside that directory), creates the
# database hotline_test, runs CMD with HOTLINE_TEST_DATABASE_URL exported, then stops the server,
# deletes the directory and exits with CMD's exit code. Cleanup also runs on failure and on
# INT/TERM/HUP. Every invocation has its own directory and port, so copies may run in parallel
# (ctest -j). As root, the server runs as `nobody` (PostgreSQL refuses to run as root).
set -euo pipefail

die() { echo "with-postgres.sh: $*" >&2; exit 1; }
[[ $# -ge 1 ]] || die "usage: with-postgres.sh CMD [ARGS…]"

# The highest installed version under /usr/lib/postgresql, else whatever PATH has.
pg_bin=""
for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V); do
  [[ -x $d/initdb && -x $d/postgres ]] && pg_bin=$d
done
if [[ -z $pg_bin ]]; then
  initdb_path=$(command -v initdb) || die "initdb not found: install the postgresql package"
  pg_bin=$(dirname "$initdb_path")
fi

tmp=""
server_pid=""
cmd_pid=""

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  local status=$?
  trap - EXIT INT TERM HUP
  if [[ -n $cmd_pid ]] && kill -0 "$cmd_pid" 2>/dev/null; then
    kill -TERM "$cmd_pid" 2>/dev/null || true
    wait "$cmd_pid" 2>/dev/null || true
  fi
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -INT "$server_pid" 2>/dev/null || true  # fast shutdown: disconnect clients, no checkpoint wait
    for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  [[ -n $tmp ]] && rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hotline-pg.XXXXXX")
as_server_user=()
if [[ $(id -u) -eq 0 ]]; then
  chown nobody: "$tmp"
  as_server_user=(setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups --)
  "${as_server_user[@]}" test -w "$tmp" || die "user nobody cannot write to $tmp: set TMPDIR to a directory it can reach"
fi

# The server's own commands run from inside the temp dir: the caller's cwd may be closed to nobody.
(cd "$tmp" && "${as_server_user[@]}" "$pg_bin/initdb" -D "$tmp/data" --auth=trust --no-sync -U postgres \
  --encoding=UTF8 --locale=C >"$tmp/initdb.log" 2>&1) || { cat "$tmp/initdb.log" >&2; die "initdb failed"; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A port picked free may be taken by someone else before the server binds it: then try another.
port=""
for _ in 1 2 3 4 5; do
  port=$(free_port)
  (trap - INT QUIT; cd "$tmp" && exec "${as_server_user[@]}" "$pg_bin/postgres" -D "$tmp/data" -p "$port" \
    -c listen_addresses=127.0.0.1 -c unix_socket_directories="$tmp" \
    -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
    >"$tmp/server.log" 2>&1) &
  server_pid=$!
  ready=""
  for _ in $(seq 300); do  # 30 s
    if "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1; then ready=1; break; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  [[ -n $ready ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null && grep -q "could not bind\|could not create any TCP/IP sockets" "$tmp/server.log"; then
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
    continue
  fi
  cat "$tmp/server.log" >&2
  die "PostgreSQL did not become ready on 127.0.0.1:$port within 30 s (server log above)"
done
[[ -n $ready ]] || { cat "$tmp/server.log" >&2; die "no free port for PostgreSQL after 5 attempts"; }

"$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres \
  -c "CREATE DATABASE hotline_test" || die "CREATE DATABASE hotline_test failed"

export HOTLINE_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$port/hotline_test"

# CMD runs in the background so that a signal reaches the traps at once instead of after CMD
# ends. Bash starts background jobs with SIGINT/SIGQUIT ignored and stdin on /dev/null: the
# `trap -` and `0<&0` undo that, so CMD (and any server it starts and stops with SIGINT) behaves
# as in the foreground.
set +e
( trap - INT QUIT; exec "$@" ) 0<&0 &
cmd_pid=$!
wait "$cmd_pid"
rc=$?
cmd_pid=""
set -e
exit "$rc"
