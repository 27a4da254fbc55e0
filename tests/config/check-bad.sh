#!/usr/bin/env bash
# Every malformed configuration in tests/config/bad/ must be refused by `hotline config check` with
# exit code 2 and "FILE:LINE: message" on stderr, where LINE is the line of the flaw, given on each
# file's first line as "# expect-line: N". Good configurations (config/hotline.example.toml, and one
# with only [database] url and [http] listen) must pass with exit code 0.
# Usage: tests/config/check-bad.sh HOTLINE_BIN
set -u

bin=${1:?usage: check-bad.sh HOTLINE_BIN}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok    $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1: $2"; }

# Runs `config check`, bounded; sets rc, out, err.
check() {
  timeout 30 "$bin" config check --config "$1" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  out=$(cat "$tmp/out")
  err=$(cat "$tmp/err")
}

shopt -s nullglob
files=("$here"/bad/*.toml)
if [ ${#files[@]} -lt 10 ]; then
  fail "tests/config/bad" "expected at least 10 malformed configs, found ${#files[@]}"
fi

for f in "${files[@]}"; do
  name=bad/$(basename "$f")
  line=$(sed -n '1s/^# expect-line: \([0-9][0-9]*\)$/\1/p' "$f")
  if [ -z "$line" ]; then
    fail "$name" "first line must be '# expect-line: N'"
    continue
  fi
  check "$f"
  if [ "$rc" -ne 2 ]; then
    fail "$name" "exit code $rc, want 2 (stdout: $out; stderr: $err)"
  elif [[ "$err" != *"$f:$line: "?* ]]; then
    fail "$name" "stderr lacks '$f:$line: <message>': $err"
  else
    pass "$name  ($(sed "s|^.*$f:$line: ||" <<<"$err" | head -n 1))"
  fi
done

good() {
  check "$2"
  if [ "$rc" -eq 0 ]; then pass "$1"; else fail "$1" "exit code $rc, want 0: $err"; fi
}
if [ -f "$repo/config/hotline.example.toml" ]; then
  good "config/hotline.example.toml" "$repo/config/hotline.example.toml"
fi
printf '[database]\nurl = "sqlite:%s/hotline.db"\n\n[http]\nlisten = "127.0.0.1:12329"\n' "$tmp" >"$tmp/minimal.toml"
good "minimal config ([database] url + [http] listen)" "$tmp/minimal.toml"
printf '[database]\nurl = "postgresql://hotline:secret@127.0.0.1:5432/hotline?sslmode=disable"\n[http]\nlisten = "[::1]:0"\n' >"$tmp/postgres.toml"
good "PostgreSQL URL and an IPv6 listen address" "$tmp/postgres.toml"
# Files from before issue 12 stay valid: [http] blocking_threads (now sizing the shared blocking executor,
# 0 = on the I/O threads), alone or beside [runtime].
printf '[database]\nurl = "sqlite:%s/hotline.db"\n[http]\nblocking_threads = 0\n' "$tmp" >"$tmp/old-inline.toml"
good "pre-issue-12 [http] blocking_threads = 0" "$tmp/old-inline.toml"
printf '[runtime]\nblocking_threads = 2\nshutdown_seconds = 30\n[http]\nblocking_threads = 8\n[database]\nurl = "sqlite:%s/hotline.db"\n' "$tmp" >"$tmp/both.toml"
good "[http] blocking_threads beside [runtime]" "$tmp/both.toml"

# A missing file is a configuration error too (exit 2, "FILE:0:").
check "$tmp/does-not-exist.toml"
if [ "$rc" -eq 2 ] && [[ "$err" == *"$tmp/does-not-exist.toml:0: "* ]]; then pass "missing file"; else fail "missing file" "rc=$rc: $err"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
