#!/usr/bin/env bash
# Side-by-side rate of `wassenaar evaluate` and the Node peer `export-controls-agent-mcp`
# (`assessCountryChartRequirement`, the Commerce Country Chart only) on the same scenarios:
# 260,000 US exports = 10 items x 13 destinations, repeated (the workload of
# `benches/engine.rs`). Both run as whole processes on one thread; each is timed as the best
# of RUNS runs. Prints both rates and the ratio.
#
# Usage: benches/peer.sh PEER_CHECKOUT [WASSENAAR_BINARY]
#   PEER_CHECKOUT     a checkout of the peer (its src/rules/country-chart.js is imported
#                     as it is; the chart module needs no npm install)
#   WASSENAAR_BINARY  default: target/release/wassenaar (build it with `cargo build --release`)
# Environment: ROWS (default 260000), RUNS (default 3), NODE (default node).
set -euo pipefail

if [ $# -lt 1 ] || [ ! -f "$1/src/rules/country-chart.js" ]; then
    echo "usage: $0 PEER_CHECKOUT [WASSENAAR_BINARY]" >&2
    echo "  PEER_CHECKOUT must contain src/rules/country-chart.js" >&2
    exit 2
fi
peer=$(cd "$1" && pwd)
bin=${2:-target/release/wassenaar}
if [ ! -x "$bin" ]; then
    echo "$bin: not found; build it with \`cargo build --release\` or pass its path" >&2
    exit 2
fi
rows=${ROWS:-260000}
runs=${RUNS:-3}
node=${NODE:-node}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The scenarios: the same file for both (destinations by name, which both read).
awk -v rows="$rows" 'BEGIN {
    split("4A005 4D004 4E001.c 5A001.j 5A002.a 5A004.a 5A004.b 5D001.e 5D002 5E002", items, " ")
    split("Germany|United Kingdom|France|Japan|Canada|Australia|India|Israel|China|Russia|United Arab Emirates|Brazil|Singapore", dests, "|")
    print "id,item,destination"
    for (n = 0; n < rows; n++) {
        printf "o%d,%s,%s\n", n, items[n % 10 + 1], dests[int(n / 10) % 13 + 1]
    }
}' > "$tmp/scenarios.csv"

# The peer's harness: read the same CSV, call the chart assessment once per row, no output
# but a tally (so the work cannot be skipped).
cat > "$tmp/peer.mjs" <<EOF
import { readFileSync } from "node:fs";
import { assessCountryChartRequirement } from "$peer/src/rules/country-chart.js";
const lines = readFileSync(process.argv[2], "utf8").split("\n");
const tally = new Map();
let n = 0;
for (let i = 1; i < lines.length; i++) {
  if (!lines[i]) continue;
  const [, eccn, destination] = lines[i].split(",");
  const r = assessCountryChartRequirement({ eccn, destination });
  tally.set(r.status, (tally.get(r.status) ?? 0) + 1);
  n++;
}
process.stderr.write(n + " rows: " + JSON.stringify(Object.fromEntries(tally)) + "\n");
EOF

now() { date +%s.%N; }

# Best wall time of $runs runs of the command.
best() {
    local b="" t0 t1 s
    for _ in $(seq "$runs"); do
        t0=$(now)
        "$@" > /dev/null 2> "$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
        t1=$(now)
        s=$(echo "$t1 - $t0" | bc -l)
        if [ -z "$b" ] || [ "$(echo "$s < $b" | bc -l)" = 1 ]; then b=$s; fi
    done
    echo "$b"
}

echo "workload: $rows US scenarios (10 items x 13 destinations, repeated); best of $runs runs"
echo "node $($node --version); peer $(git -C "$peer" rev-parse --short HEAD 2>/dev/null || echo "(not a git checkout)")"
echo "wassenaar: $("$bin" --version)"

t_peer=$(best "$node" "$tmp/peer.mjs" "$tmp/scenarios.csv")
sed 's/^/  peer: /' "$tmp/err"
t_file=$(best "$bin" evaluate "$tmp/scenarios.csv" --jurisdictions US --threads 1 -o "$tmp/out.csv")
t_stdout=$(best "$bin" evaluate "$tmp/scenarios.csv" --jurisdictions US --threads 1)
out_rows=$(($(wc -l < "$tmp/out.csv") - 1))
out_bytes=$(wc -c < "$tmp/out.csv")

rate() { echo "$rows / $1" | bc -l; }
r_peer=$(rate "$t_peer")
r_file=$(rate "$t_file")
r_stdout=$(rate "$t_stdout")
printf 'peer      assessCountryChartRequirement (chart only)     %8.3f s  %12.0f determinations/s\n' "$t_peer" "$r_peer"
printf 'wassenaar evaluate --jurisdictions US --threads 1 -o  %8.3f s  %12.0f rows/s  (%d rows, %d bytes/row)\n' \
    "$t_file" "$r_file" "$out_rows" "$((out_bytes / (out_rows > 0 ? out_rows : 1)))"
printf 'wassenaar evaluate ... to standard output             %8.3f s  %12.0f rows/s\n' "$t_stdout" "$r_stdout"
printf 'ratio (wassenaar -o / peer): %.1fx   (to standard output: %.1fx)\n' \
    "$(echo "$r_file / $r_peer" | bc -l)" "$(echo "$r_stdout / $r_peer" | bc -l)"
