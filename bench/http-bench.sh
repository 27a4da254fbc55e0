#!/usr/bin/env bash
# HTTP benchmark of `hotline serve` on SQLite (issue: foundation performance targets).
#   [HTTP_THREADS=N] [REALTIME_PRIORITY=N] [SERVER_CPUS=LIST WRK_CPUS=LIST] [WRK_THREADS=N] \
#     bench/http-bench.sh [HOTLINE_BIN] [DURATION_SECONDS] [CONNECTIONS]
# Measures with wrk (Debian package): GET /healthz and an authenticated GET /api/v1/me at 64
# connections; idle resident memory; start-up time to ready on an existing database (10 runs).
# Prints a Markdown block for docs/PERFORMANCE.md. Run by hand on an otherwise idle machine;
# wrk and the server share the machine's cores, as they would on a 2-core box.
# SERVER_CPUS / WRK_CPUS (taskset lists, e.g. 0 and 1) pin the server and wrk to their own cores, the
# nearest a 2-core box gets to a load generator on another machine.
set -euo pipefail
bin=${1:-build/release/src/hotline}
duration=${2:-15}
conns=${3:-64}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
dir=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

cat >"$dir/hotline.toml" <<TOML
[database]
url = "sqlite:$dir/hotline.db"
[http]
listen = "127.0.0.1:0"
static_dir = "$(pwd)/ui/dist"
[log]
level = "warn"
TOML
# HTTP_THREADS=N: the server's I/O threads (http.threads; default one per core).
if [ -n "${HTTP_THREADS:-}" ]; then sed -i "/^\[http\]/a threads = $HTTP_THREADS" "$dir/hotline.toml"; fi
# REALTIME_PRIORITY=N: http.realtime_priority (SCHED_RR for the I/O threads; needs root or CAP_SYS_NICE).
if [ -n "${REALTIME_PRIORITY:-}" ]; then sed -i "/^\[http\]/a realtime_priority = $REALTIME_PRIORITY" "$dir/hotline.toml"; fi
"$bin" org add --config "$dir/hotline.toml" --code MOHURD --name 住房和城乡建设部 --level ministry >/dev/null
"$bin" org add --config "$dir/hotline.toml" --code GS --name 甘肃省住房和城乡建设厅 --level province --parent MOHURD >/dev/null
"$bin" org add --config "$dir/hotline.toml" --code GS-LZ --name 兰州住房公积金管理中心 --level center --parent GS >/dev/null
"$bin" user add --config "$dir/hotline.toml" --username bench --password Bench12329 --role agent --org GS-LZ --agent-no 1001 >/dev/null

server_pin=() wrk_pin=()
[ -n "${SERVER_CPUS:-}" ] && server_pin=(taskset -c "$SERVER_CPUS")
[ -n "${WRK_CPUS:-}" ] && wrk_pin=(taskset -c "$WRK_CPUS")
wrk_threads=${WRK_THREADS:-2}

start_server() {
  "${server_pin[@]}" "$bin" serve --config "$dir/hotline.toml" >"$dir/out" 2>"$dir/err" &
  server_pid=$!
  for _ in $(seq 1 500); do
    grep -q 'listening on' "$dir/out" 2>/dev/null && break
    sleep 0.01
  done
  addr=$(grep -o 'http://[0-9.:]*' "$dir/out")
}

# Start-up to ready on an existing database: wall time from exec to the "listening" line.
startup_ms=()
for i in $(seq 1 10); do
  t0=$(date +%s%N)
  "$bin" serve --config "$dir/hotline.toml" >"$dir/start.$i" 2>"$dir/err" &
  pid=$!
  for _ in $(seq 1 2500); do
    grep -q 'listening on' "$dir/start.$i" 2>/dev/null && break
    sleep 0.002
  done
  t1=$(date +%s%N)
  startup_ms+=($(( (t1 - t0) / 1000000 )))
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
done

start_server
sleep 1
rss_idle_kb=$(ps -o rss= -p "$server_pid" | tr -d ' ')
token=$(curl -s -X POST -H 'content-type: application/json' -d '{"username":"bench","password":"Bench12329"}' \
  "$addr/api/v1/auth/login" | sed -E 's/.*"token":"([^"]+)".*/\1/')
rss_after_login_kb=$(ps -o rss= -p "$server_pid" | tr -d ' ')

cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }  # the server's user + system CPU

run_wrk() {  # name url [header]
  local out t0 t1
  t0=$(cpu_ticks)
  if [ -n "${3:-}" ]; then
    out=$("${wrk_pin[@]}" wrk -t"$wrk_threads" -c"$conns" -d"${duration}s" --latency -H "$3" "$2")
  else
    out=$("${wrk_pin[@]}" wrk -t"$wrk_threads" -c"$conns" -d"${duration}s" --latency "$2")
  fi
  t1=$(cpu_ticks)
  echo "$out" >&2
  local rps p50 p99 errors requests us_per_request
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  # Server CPU per request: robust against other load on the machine, unlike requests/s and p99.
  us_per_request=$(awk -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$rps" "$p50" "$p99" "${errors:-0}" "$us_per_request"
}

echo
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); $(date -u +%Y-%m-%d)"
echo "Method: ${wrk_pin[*]} wrk -t$wrk_threads -c$conns -d${duration}s --latency on the same machine as the server (SQLite, synchronous=full)."
echo
echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg); server threads: ${HTTP_THREADS:-default (one per core)}; realtime priority: ${REALTIME_PRIORITY:-0 (off)}; server pinned: ${SERVER_CPUS:-no}"
echo
echo "| endpoint | requests/s | p50 | p99 | non-2xx | server CPU µs/request |"
echo "|---|---|---|---|---|---|"
run_wrk "GET /healthz" "$addr/healthz"
run_wrk "GET /api/v1/me (Bearer)" "$addr/api/v1/me" "Authorization: Bearer $token"
rss_after_kb=$(ps -o rss= -p "$server_pid" | tr -d ' ')
echo
echo "Resident memory: idle after start $((rss_idle_kb / 1024)) MiB; after one login (argon2id, 64 MiB) $((rss_after_login_kb / 1024)) MiB; after the load $((rss_after_kb / 1024)) MiB."
sorted=$(printf '%s\n' "${startup_ms[@]}" | sort -n | tr '\n' ' ')
echo "Start-up to ready on an existing database (10 runs, ms, sorted): $sorted"
