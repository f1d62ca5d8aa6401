#!/usr/bin/env bash
# `make demo`: serve the bundled demo web, run the real weekly_briefing DAG for one week with
# `airflow dags test` (Airflow's metadata in a SQLite file under .demo/), print where the briefing is.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN="$ROOT/.venv/bin"
WEEK=${DEMO_WEEK:-2026-W47}
PORT=8765   # config/demo.yaml names this port
STATE="$ROOT/.demo"
mkdir -p "$STATE"

export AIRFLOW_HOME="$STATE/airflow"
export AIRFLOW__CORE__DAGS_FOLDER="$ROOT/dags"
export AIRFLOW__CORE__PLUGINS_FOLDER="$ROOT/plugins"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__UNIT_TEST_MODE=False
export BRIEFING_SOURCES="$ROOT/config/demo.yaml"
export BRIEFING_DB_URL="sqlite:///$STATE/briefing.sqlite"
export BRIEFING_ARCHIVE="$ROOT/archive"

count_stories() {
  "$BIN/python" -c 'import os; from briefing.store import Store; print(Store(os.environ["BRIEFING_DB_URL"]).count_stories())'
}

if "$BIN/python" -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $PORT)) != 0)"; then
  echo "Port $PORT on 127.0.0.1 is taken: stop what listens there (the demo web must be served on it) and retry." >&2
  exit 1
fi
"$BIN/briefing" demo-server --port "$PORT" > "$STATE/demo-server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  "$BIN/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/', timeout=1)" 2>/dev/null && break
  sleep 0.2
done
echo "Demo web serving on http://127.0.0.1:$PORT/ (6 fictional outlets)"

echo "Preparing Airflow's metadata database in $AIRFLOW_HOME ..."
"$BIN/airflow" db migrate > "$STATE/airflow-db.log" 2>&1 || { tail -20 "$STATE/airflow-db.log" >&2; exit 1; }

before=$(count_stories)
echo "Running the weekly_briefing DAG for $WEEK (log: .demo/dag-run.log) ..."
if ! "$BIN/airflow" dags test weekly_briefing -c "{\"week\": \"$WEEK\", \"approval\": \"automatic\"}" > "$STATE/dag-run.log" 2>&1 \
   || ! grep -q "state=success" "$STATE/dag-run.log"; then
  echo "The DAG run failed; the end of its log:" >&2
  grep -E "ERROR|Error|error|failed" "$STATE/dag-run.log" | tail -20 >&2
  exit 1
fi
after=$(count_stories)

grep -E "^\[DAG TEST\]|DAG TEST\] end task" "$STATE/dag-run.log" >/dev/null || true
echo
echo "Fetched per source:"
grep -oE "\] [a-z0-9-]+: (ok|error); [^[]*" "$STATE/dag-run.log" | sed -E 's/^\] /  /; s/ +$//' || true
echo "Stories in the store: $after ($((after - before)) new this run)"
echo
echo "The $WEEK briefing:"
echo "  PDF:   $BRIEFING_ARCHIVE/briefing-$WEEK.pdf"
echo "  HTML:  $BRIEFING_ARCHIVE/briefing-$WEEK.html"
echo "  index: $BRIEFING_ARCHIVE/index.html"
