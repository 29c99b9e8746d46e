#!/bin/sh
# A minimal stand-in for `claude -p --output-format stream-json --verbose`, for benchmarks: it starts in
# about a millisecond, so what is measured is the engine, not the fake. The prompt (stdin) may say:
#   sleep <seconds>   sleep that long before answering
#   cat <file>        print that file (pre-made stream-json) before the result
#   ignore-term       ignore SIGTERM from here on (its sleep too): only SIGKILL ends it
prompt=$(cat)
set -- $prompt
while [ $# -gt 0 ]; do
  case "$1" in
    sleep) sleep "$2"; shift ;;
    cat) cat "$2"; shift ;;
    ignore-term) trap '' TERM ;;
  esac
  shift
done
printf '%s\n' '{"type":"system","subtype":"init","session_id":"00000000-0000-4000-8000-000000000000","model":"bench","cwd":"/","tools":[]}'
printf '%s\n' '{"type":"result","subtype":"success","is_error":false,"result":"ok","session_id":"00000000-0000-4000-8000-000000000000","num_turns":1,"duration_ms":1,"total_cost_usd":0}'
