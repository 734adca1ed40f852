#!/usr/bin/env bash
# Cluster scaling on this machine: time to drain N names from the Redis door with
#   (1) one node (worker + classifier), then (2) the same node plus 2 classifier-only nodes.
# Private redis-server on a free port; nodes on loopback; prints names/s and the CPU seconds
# each JVM used (from /proc), because on a shared 2-core machine the cores are the bound.
# usage: nice -n 10 bench/cluster-scale.sh [NAMES]   (default 200000; needs verticles/target/dgad.jar)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/verticles/target/dgad.jar"
N="${1:-200000}"
TMP="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
RP=$(free_port)
redis-server --port "$RP" --bind 127.0.0.1 --save '' --appendonly no --dir "$TMP" >"$TMP/redis.log" 2>&1 &
RPID=$!
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; kill "$RPID" 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
until redis-cli -p "$RP" ping >/dev/null 2>&1; do sleep 0.1; done
HZ=(--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED)
P1=$(free_port); P2=$(free_port); P3=$(free_port)
MEMBERS="127.0.0.1:$P1,127.0.0.1:$P2,127.0.0.1:$P3"
CLUSTER="scale-$$"
start() { # id roles port
  REDIS_HOST=127.0.0.1 REDIS_PORT=$RP DGAD_NODE_ID=$1 DGAD_CLUSTER_NAME=$CLUSTER LOG_LEVEL=WARN \
    java -Xmx512m -Xss4m "${HZ[@]}" -jar "$JAR" node --roles "$2" --cluster-host 127.0.0.1 --cluster-port "$3" \
    --members "$MEMBERS" --conf "$ROOT/conf/config.json" >"$TMP/$1.log" 2>&1 &
  PIDS+=($!)
}
cpu() { # total CPU seconds of the given pids
  local t=0; for p in "$@"; do s=$(awk '{print $14+$15}' /proc/$p/stat); t=$((t + s)); done
  echo "scale=1; $t / $(getconf CLK_TCK)" | bc
}
nodes_in_stats() { redis-cli -p "$RP" get dgad:stats | python3 -c 'import sys,json; d=sys.stdin.read().strip(); print(len(json.loads(d)["nodes"]) if d else 0)'; }
load() {
  python3 - "$N" "$1" <<'PY' | redis-cli -p "$RP" --pipe >/dev/null
import sys, random
n, tag = int(sys.argv[1]), sys.argv[2]
r = random.Random(tag)
out = []
for i in range(n):
    name = f"{tag}-shop{i}.example.com" if i % 2 == 0 else tag + "".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(14)) + ".com"
    out.append(f"*3\r\n$4\r\nSADD\r\n$7\r\nstaging\r\n${len(name)}\r\n{name}\r\n")
sys.stdout.write("".join(out))
PY
}
LEFT="local n = redis.call('SCARD', 'domains_todo') for _, k in ipairs(redis.call('KEYS', 'dgad:inflight:*')) do n = n + redis.call('SCARD', k) end return n"
run() { # label expected-nodes
  until [[ $(nodes_in_stats) -ge $2 ]]; do sleep 0.2; done
  load "$1"   # into a staging set; the clock starts when it becomes the todo set
  local c0; c0=$(cpu "${PIDS[@]}")
  local t0; t0=$(date +%s.%N)
  redis-cli -p "$RP" rename staging domains_todo >/dev/null
  until [[ $(redis-cli -p "$RP" eval "$LEFT" 0) -eq 0 ]]; do sleep 0.05; done
  local t1; t1=$(date +%s.%N)
  local c1; c1=$(cpu "${PIDS[@]}")
  local secs; secs=$(echo "$t1 - $t0" | bc)
  printf '| %s | %d | %.1f | %.0f | %.1f |\n' "$1" "$N" "$secs" "$(echo "$N / $secs" | bc -l)" "$(echo "$c1 - $c0" | bc)"
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo "| setup | names | seconds | names/s | JVM CPU s |"
echo "|---|---|---|---|---|"
start n1 worker,classifier "$P1"
run one-node 1
start n2 classifier "$P2"
start n3 classifier "$P3"
run plus-2-classifiers 3
