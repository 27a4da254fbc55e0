#!/usr/bin/env bash
# `hotline ivr check` and `hotline ivr simulate` on the shipped national menu against a demo deployment
# (real fund data, calendar, call-back service): keys piped in, prompts asserted (issue 13 §IVR flows).
# Usage: simulate.sh HOTLINE_BINARY REPO_DIR
set -euo pipefail
H="$1"
REPO="$2"
FLOW="$REPO/config/ivr/national.toml"
DIR="$(mktemp -d)"
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$DIR"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { grep -qF -- "$2" <<<"$1" || { echo "$1" >&2; fail "expected: $2"; }; }

# check: the national flow passes, a broken one fails with FILE:LINE.
"$H" ivr check "$FLOW" | grep -q "检查通过" || fail "national flow does not check"
printf '[flow]\nstart = "x"\nagent = "x"\n' >"$DIR/bad.toml"
if out=$("$H" ivr check "$DIR/bad.toml" 2>&1); then fail "a bad flow passed"; fi
expect "$out" "bad.toml:1: [flow] start: unknown node 'x'"

# A demo deployment (serves until stopped: stop it as soon as it is ready; the database stays).
"$H" demo --dir "$DIR/demo" --listen 127.0.0.1:0 >"$DIR/demo.log" 2>&1 &
PID=$!
for _ in $(seq 1 600); do grep -q "Ctrl-C" "$DIR/demo.log" 2>/dev/null && break; sleep 0.2; done
kill "$PID"; wait "$PID" 2>/dev/null || true
C="$DIR/demo/hotline.toml"
caller=$("$H" fund demo-caller --config "$C")
acct=$(awk '/个人账号/ {print $2}' <<<"$caller")
pw=$(awk '/查询密码/ {print $2}' <<<"$caller")
name=$(awk '/姓名/ {print $2}' <<<"$caller")
sim() { "$H" ivr simulate --center GS-LZ --config "$C" --flow "$FLOW" "$@"; }

# The main menu, identity with the demo account, the balance read back.
out=$(printf '11\n1\n%s#\n%s\nq\n' "$acct" "$pw" | sim)
expect "$out" "[main_menu] 个人业务请按1，单位业务请按2"
expect "$out" "[account_readback] ${name}，您的公积金账户余额为"
expect "$out" "已验证身份：是"
grep -qF -- "$pw" <<<"$(grep -v '^>' <<<"$out" | sed 's/^> *//')" && fail "the password appears in the output"

# Five wrong passwords: the locked message (another demo person: the lock is durable).
acct2=$("$H" fund demo-caller --config "$C" --index 1 | awk '/个人账号/ {print $2}')
keys="111"
for i in 1 2 3 4 5; do keys+=$'\n'"${acct2}#"$'\n'"000000"$'\n'"1"; done
out=$(printf '%s\nq\n' "$keys" | sim)
[ "$(grep -c '\[login_failed\]' <<<"$out")" -eq 4 ] || { echo "$out"; fail "four failures before the lock"; }
expect "$out" "[login_locked] 对不起，您的密码输入错误次数过多，账户已被锁定"

# Outside service hours: the hours, then a call-back task created.
before=$(sqlite3 "$DIR/demo/hotline.db" "SELECT COUNT(*) FROM workorder_callbacks")
out=$(printf '0\n1\n1\n' | sim --at "2026-12-08 21:00" --caller 13912345678)
expect "$out" "[after_hours] 现在是非人工服务时间，人工服务将于"
expect "$out" "[callback_done]"
after=$(sqlite3 "$DIR/demo/hotline.db" "SELECT COUNT(*) FROM workorder_callbacks")
[ "$after" -eq $((before + 1)) ] || fail "no call-back task ($before → $after)"

# A booking read back with its reference, and an SMS subscription (in-memory port, said on screen).
out=$(printf '41\n1\n%s#\n%s\n1\n4\n1\nq\n' "$acct" "$pw" | sim --caller 13912345678)
expect "$out" "[book_done] 预约成功，预约号为"
expect "$out" "内存中的 SubscriptionPort"
expect "$out" "[sms_subscribed] 账户信息短信已为您订阅"
echo "ivr simulate: all cases passed"
