#!/usr/bin/env bash
# KPI benchmark (issue 5 performance targets), end to end on SQLite:
#   bench/kpi-bench.sh [BUILD_DIR]          (default build/release; DAYS, PER_DAY, FROM override the data)
# 1. builds a world like a real deployment: the ministry MOHURD, provinces GS, SX and QH, ten centres each;
# 2. generates ≈10,000,000 CDRs with `hotline cdr generate` (30 centres × 730 days × ≈570 calls per working
#    day; ≈1.8 GB of CSV);
# 3. times `hotline cdr import` of that file into an empty database (CPU user/sys and wall time, rows/s),
#    then a second import of the same file (idempotent: nothing new is stored);
# 4. runs kpi_bench: every level × period (and a range over all the data) as a report and as a GROUP BY
#    over the CDRs, side by side.
# Prints Markdown for docs/PERFORMANCE.md. Everything lives in a temp directory that is deleted at the
# end (also on failure or Ctrl-C); the CSV is deleted as soon as it has been imported. Needs ≈6 GB free
# in $TMPDIR. Run on an otherwise idle machine: the load average is printed with the results.
set -euo pipefail
build=${1:-build/release}
days=${DAYS:-730}
per_day=${PER_DAY:-570}
from=${FROM:-2025-01-01}
bin=$build/src/hotline
bench=$build/bench/kpi_bench
if [[ ! -x $bin || ! -x $bench ]]; then
  cmake --build "$build" --target hotline kpi_bench >&2
fi
[[ -x /usr/bin/time ]] || { echo "kpi-bench.sh: /usr/bin/time is missing: apt-get install time" >&2; exit 1; }
command -v taskset >/dev/null || { echo "kpi-bench.sh: taskset is missing: apt-get install util-linux" >&2; exit 1; }
cpu_core=${CPU_CORE:-1}

dir=$(mktemp -d "${TMPDIR:-/tmp}/kpi-bench.XXXXXX")
cleanup() { rm -rf "$dir"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

cfg=$dir/hotline.toml
cat >"$cfg" <<TOML
[database]
url = "sqlite:$dir/hotline.db"
[log]
level = "warn"
TOML

# 1. The org tree.
"$bin" org add --config "$cfg" --code MOHURD --name 住房和城乡建设部 --level ministry >/dev/null
centers=()
for p in GS:甘肃省 SX:山西省 QH:青海省; do
  code=${p%%:*} name=${p#*:}
  "$bin" org add --config "$cfg" --code "$code" --name "${name}住房和城乡建设厅" --level province --parent MOHURD >/dev/null
  for i in $(seq -w 1 10); do
    "$bin" org add --config "$cfg" --code "$code-C$i" --name "${name}第${i}住房公积金管理中心" --level center \
      --parent "$code" >/dev/null
    centers+=("$code-C$i")
  done
done
center_list=$(IFS=,; echo "${centers[*]}")

# 2. The CDRs.
csv=$dir/cdrs.csv
echo "kpi-bench: generating CDRs ($((${#centers[@]})) centres, $days days from $from, $per_day per working day)…" >&2
"$bin" cdr generate --centers "$center_list" --from "$from" --days "$days" --per-day "$per_day" --out "$csv" >/dev/null
rows=$(($(wc -l <"$csv") - 1))
# The generator leaves ≈1.8 GB of the CSV dirty in the page cache; written back during the import, it
# would be billed to the import (system time and fsync waits doubled in one run). Write it out first.
sync
csv_mb=$(($(stat -c %s "$csv") / 1000000))

# 3. Import, timed: first into the empty database, then the same file again.
steal_cs() { awk '/^cpu / { print $9 }' /proc/stat; }  # time the hypervisor took from this VM, 1/100 s
timed_import() {  # label → prints "user sys wall maxrss_kb" of the run, the import's summary line to stderr
  local times=$dir/time.$1
  steal_start=$(steal_cs)
  /usr/bin/time -f "%U %S %e %M" -o "$times" taskset -c "$cpu_core" "$bin" cdr import --config "$cfg" --batch 50000 "$csv" >"$dir/out.$1" 2>&1 ||
    { cat "$dir/out.$1" >&2; exit 1; }
  tail -n 1 "$dir/out.$1" >&2
  echo $(( $(steal_cs) - steal_start )) >"$dir/steal.$1"
  cat "$times"
}
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }'; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "kpi-bench: importing $rows rows…" >&2
read -r user sys wall rss <<<"$(timed_import first)"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "kpi-bench: importing the same file again…" >&2
read -r user2 sys2 wall2 rss2 <<<"$(timed_import again)"
summary_first=$(tail -n 1 "$dir/out.first")
summary_again=$(tail -n 1 "$dir/out.again")
rm -f "$csv"
sqlite3_size_mb=$(( ($(stat -c %s "$dir/hotline.db") + $(stat -c %s "$dir/hotline.db-wal" 2>/dev/null || echo 0)) / 1000000 ))

# 4. Reports against the GROUP BY, on the database just built: the periods around a day in the second year,
#    and a range over all the data.
echo "kpi-bench: reports…" >&2
report_md=$("$bench" --config "$cfg" --date "$(date -d "$from + $((days * 3 / 4)) days" +%F)" \
  --range "$from..$(date -d "$from + $((days - 1)) days" +%F)")
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
echo
echo "## KPI engine (issue 5)"
echo
echo "- Date: $(date -u +%F); machine: $cpu, $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -sr);" \
  "SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1), WAL, synchronous=FULL (the default configuration)."
echo "- Load average (1, 5, 15 min) before the import: $load_before; after it: $load_after; after the reports: $load_end."
echo "- Data: \`hotline cdr generate\`, ${#centers[@]} centres in 3 provinces, $days days from $from, $per_day calls per" \
  "centre and working day (30 % on weekends): $rows rows, $csv_mb MB of CSV; database afterwards $sqlite3_size_mb MB."
echo "- Method: \`/usr/bin/time taskset -c $cpu_core hotline cdr import --batch 50000\` (one process pinned to one core: the importer and" \
  "its background thread that fdatasyncs and checkpoints the WAL share it; 50,000 rows per transaction) into an empty database; then" \
  "the same file again."
steal() { awk -v cs="$(cat "$dir/steal.$1")" 'BEGIN { printf "%.2f", cs / 100 }'; }
echo "- Time the hypervisor took from the VM (steal, both vCPUs, /proc/stat) during the first import: $(steal first) s;" \
  "during the second: $(steal again) s."
echo
cpu_sum() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a + b }'; }
echo "| import | rows | rows/s (wall) | wall s | user s | sys s | rows/s (user CPU) | rows/s (user+sys) | max RSS MB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
echo "| first, into an empty database | $rows | **$(rate "$rows" "$wall")** | $wall | $user | $sys | $(rate "$rows" "$user") |" \
  "$(rate "$rows" "$(cpu_sum "$user" "$sys")") | $((rss / 1024)) |"
echo "| the same file again (nothing new) | $rows | **$(rate "$rows" "$wall2")** | $wall2 | $user2 | $sys2 | $(rate "$rows" "$user2") |" \
  "$(rate "$rows" "$(cpu_sum "$user2" "$sys2")") | $((rss2 / 1024)) |"
echo
echo "First import: ${summary_first#*: }. Second: ${summary_again#*: }."
echo
echo "Reports (\`kpi_bench\`, bench/kpi_bench.cpp: method in its header comment):"
echo
echo "$report_md"
