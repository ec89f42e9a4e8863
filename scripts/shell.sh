#!/usr/bin/env bash
# Chat with the assistant in the terminal (starts the action server for the duration).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${ACTION_PORT:=5055}"
: "${TRACKER_DB:=var/tracker.db}"
export TRACKER_DB PYTHONPATH=$PWD ACTION_ENDPOINT_URL="http://localhost:$ACTION_PORT/webhook"
mkdir -p "$(dirname "$TRACKER_DB")"
.venv/bin/python -m bot.action_server --actions actions --port "$ACTION_PORT" >var/action-server.log 2>&1 &
action_pid=$!
trap 'kill $action_pid 2>/dev/null || true' EXIT INT TERM
.venv/bin/rasa shell --model models/barnekoordinator.tar.gz --endpoints bot/endpoints.yml
