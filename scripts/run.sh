#!/usr/bin/env bash
# Start the action server, the Rasa server and the widget demo page; Ctrl-C stops all of them.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${RASA_PORT:=5005}"
: "${ACTION_PORT:=5055}"
: "${WIDGET_PORT:=8080}"
: "${REVIEW_PORT:=8090}"
: "${TRACKER_DB:=var/tracker.db}"
: "${ENDPOINTS:=bot/endpoints.yml}"
: "${CREDENTIALS:=bot/credentials.yml}"
: "${ACTION_ENDPOINT_URL:=http://localhost:$ACTION_PORT/webhook}"
export TRACKER_DB ACTION_ENDPOINT_URL PYTHONPATH=$PWD
mkdir -p "$(dirname "$TRACKER_DB")"

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

.venv/bin/python -m bot.action_server --actions actions --port "$ACTION_PORT" &
pids+=($!)
.venv/bin/rasa run --model models/barnekoordinator.tar.gz --endpoints "$ENDPOINTS" \
  --credentials "$CREDENTIALS" --port "$RASA_PORT" --cors "*" &
pids+=($!)
if [ -f widget/serve.py ]; then
  .venv/bin/python -m widget.serve --port "$WIDGET_PORT" --assistant-url "http://localhost:$RASA_PORT" &
  pids+=($!)
fi

# The staff review app (review/) reads the same tracker store.
.venv/bin/python -m review serve --port "$REVIEW_PORT" &
pids+=($!)

# Wait until the assistant answers, then say where to talk to it.
for _ in $(seq 1 180); do
  if curl -fsS "http://localhost:$RASA_PORT/webhooks/rest/" >/dev/null 2>&1; then
    break
  fi
  sleep 1
done
cat <<MSG

  The assistant is running.
    REST:      http://localhost:$RASA_PORT/webhooks/rest/webhook
    socket.io: http://localhost:$RASA_PORT/socket.io
MSG
[ -f widget/serve.py ] && echo "    Demo page: http://localhost:$WIDGET_PORT/"
echo "    Staff review: http://localhost:$REVIEW_PORT/  (create a user with: make review-user)"
echo "  Press Ctrl-C to stop."
wait -n "${pids[@]}"
