#!/usr/bin/env bash
# Pinpoint Gateway quick start: install, build, configure, migrate, start, and print a working call.
#
#   ./quick-start.sh                     start in the background (idempotent: re-running is safe)
#   ./quick-start.sh --foreground        start attached to this terminal (Ctrl-C drains and stops it)
#   ./quick-start.sh --host 0.0.0.0      listen on every interface (default: loopback only)
#   ./quick-start.sh --port 9000         listen port (default: $PORT, else 8787)
#   ./quick-start.sh --status | --stop | --logs
#   ./quick-start.sh --docker [...]      the same with Docker (build the image, run a container)
#   ./quick-start.sh --show-password     also print the admin password (normally only where it is)
#   ./quick-start.sh --reinstall         run `npm ci` even when node_modules looks current
#   ./quick-start.sh --skip-install      never run `npm ci` (you manage node_modules yourself)
#
# What it creates, all git-ignored: `.env` (mode 0600: GATEWAY_SECRET_KEY, GATEWAY_JWT_SECRET,
# GATEWAY_ADMIN_PASSWORD, generated once and never overwritten), `data/` (the SQLite database,
# gateway.pid, gateway.log, gateway.url). Every run prints a NEW demo key for the tenant 'demo'
# (earlier demo keys stay valid); the tenant, app, service and subscription are created once.
# A variable set in your environment wins over .env (GATEWAY_DATA_DIR=/srv/gw ./quick-start.sh),
# which only supplies what is unset. A port another program holds is refused (exit 1).
#
# Piped (curl -fsSL <url>/quick-start.sh | bash -s -- [options]): the gateway is built from a
# clone, so piped it needs GATEWAY_REPO_URL (the git URL to clone) and clones into
# ${GATEWAY_CLONE_DIR:-./pinpoint-gateway} (reused when it is already there), then runs from it.
#
# Exit codes: 0 done; 1 failed (the message says why); 2 wrong options; 3 --status: not running.
set -euo pipefail

DEFAULT_PORT=8787
CONTAINER=pinpoint-gateway
IMAGE=pinpoint-gateway:local
VOLUME=pinpoint-gateway-data

say() { printf '%s\n' "$*"; }
fail() { printf 'quick-start: %s\n' "$*" >&2; exit 1; }
usage_error() { printf 'quick-start: %s\nRun ./quick-start.sh --help for the options.\n' "$*" >&2; exit 2; }

# ------------------------------------------------------------------ piped: find or make a clone
script="${BASH_SOURCE[0]:-}"
if [[ -z "$script" || ! -f "$script" ]]; then
  if [[ -f package.json && -f quick-start.sh ]] && grep -q '"name": "pinpoint-gateway"' package.json; then
    exec bash ./quick-start.sh "$@"
  fi
  if [[ -z "${GATEWAY_REPO_URL:-}" ]]; then
    fail "run from a pipe, this script needs a clone of the gateway. Either clone it and run ./quick-start.sh inside, or set GATEWAY_REPO_URL=<git URL> (and optionally GATEWAY_CLONE_DIR) so it clones for you."
  fi
  command -v git >/dev/null || fail "git is needed to clone $GATEWAY_REPO_URL."
  clone_dir="${GATEWAY_CLONE_DIR:-pinpoint-gateway}"
  if [[ ! -d "$clone_dir/.git" ]]; then
    say "Cloning $GATEWAY_REPO_URL into $clone_dir ..."
    git clone --depth 1 "$GATEWAY_REPO_URL" "$clone_dir"
  fi
  exec bash "$clone_dir/quick-start.sh" "$@"
fi

cd "$(cd "$(dirname "$script")" && pwd)"
ROOT="$PWD"
DATA_DIR="$ROOT/data"
ENV_FILE="$ROOT/.env"
PID_FILE="$DATA_DIR/gateway.pid"
LOG_FILE="$DATA_DIR/gateway.log"
URL_FILE="$DATA_DIR/gateway.url"

# ------------------------------------------------------------------ options
action=start foreground=false docker=false show_password=false reinstall=false skip_install=false
host=127.0.0.1 port="${PORT:-$DEFAULT_PORT}" port_from=default
[[ -z "${PORT:-}" ]] || port_from=PORT
while [[ $# -gt 0 ]]; do
  case "$1" in
    --foreground) foreground=true ;;
    --docker) docker=true ;;
    --status) action=status ;;
    --stop) action=stop ;;
    --logs) action=logs ;;
    --show-password) show_password=true ;;
    --reinstall) reinstall=true ;;
    --skip-install) skip_install=true ;;
    --host) [[ $# -ge 2 ]] || usage_error "--host needs an address, e.g. --host 0.0.0.0"; host="$2"; shift ;;
    --host=*) host="${1#--host=}" ;;
    --port) [[ $# -ge 2 ]] || usage_error "--port needs a number, e.g. --port 9000"; port="$2" port_from=--port; shift ;;
    --port=*) port="${1#--port=}" port_from=--port ;;
    -h | --help) sed -n '2,/^set -euo/p' "$script" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) usage_error "unknown option '$1'" ;;
  esac
  shift
done
if ! [[ "$port" =~ ^[0-9]+$ && "$port" -ge 1 && "$port" -le 65535 ]]; then
  if [[ "$port_from" == PORT ]]; then usage_error "PORT (from your environment) must be a number from 1 to 65535, not '$port': fix or unset it, or pass --port."; fi
  usage_error "--port must be a number from 1 to 65535, not '$port'"
fi
# How to pick another port, in the words of where this one came from.
port_advice() {
  case "$port_from" in
    --port) printf 'stop that program, or choose another port with --port' ;;
    PORT) printf 'stop that program, or choose another port: PORT=%s comes from your environment (set another, or pass --port)' "$port" ;;
    *) printf 'stop that program, or choose another port with --port (or PORT)' ;;
  esac
}

# The address to reach the gateway at from this machine.
local_url() { local h="$host"; [[ "$h" == 0.0.0.0 || "$h" == "::" ]] && h=127.0.0.1; printf 'http://%s:%s' "$h" "$1"; }

# The body of a 2xx answer at $1; fails on anything else.
http_get() {
  if command -v curl >/dev/null; then curl -fsS --max-time 2 "$1" 2>/dev/null
  else node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) }).then(async (r) => { if (!r.ok) process.exit(1); process.stdout.write(await r.text()); }, () => process.exit(1))' "$1"
  fi
}

# Whether a Pinpoint Gateway answers ready at $1. Any other service on the port may answer 200
# too: the answer must be the gateway's own ({"status":"ready","checks":{...}}).
gateway_ready() {
  local body
  body="$(http_get "$1/readyz")" || return 1
  [[ "$body" == *'"status":"ready"'* && "$body" == *'"checks":'* ]]
}

# Empty when host:port can be listened on (as the gateway's own listen would), else why not
# (EADDRINUSE, EACCES, EADDRNOTAVAIL, ...).
listen_problem() {
  node -e '
    const server = require("node:net").createServer();
    server.once("error", (error) => { process.stdout.write(String(error.code ?? error.message)); process.exit(0); });
    server.listen({ host: process.argv[1], port: Number(process.argv[2]) }, () => server.close());
  ' "$1" "$2"
}

# Refuses to start when the port cannot be ours: another service holding it would answer for the
# gateway (and the gateway itself would exit with EADDRINUSE).
check_port_free() {
  local problem url
  problem="$(listen_problem "$host" "$port")"
  [[ -n "$problem" ]] || return 0
  url="$(local_url "$port")"
  case "$problem" in
    EADDRINUSE)
      if gateway_ready "$url"; then
        fail "port $port on $host is taken by another Pinpoint Gateway, not one this script started from $ROOT (npm start, another checkout, a container?): $(port_advice)."
      fi
      fail "port $port on $host is taken by another program (not this gateway): $(port_advice)."
      ;;
    EACCES) fail "this user may not listen on port $port (ports below 1024 need privileges): choose another port with --port (or PORT)." ;;
    EADDRNOTAVAIL) fail "--host $host is not an address of this machine." ;;
    *) fail "cannot listen on $host:$port ($problem)." ;;
  esac
}

rand_hex() {
  if command -v openssl >/dev/null; then openssl rand -hex "$1"
  else head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'
  fi
}

# ------------------------------------------------------------------ prerequisites
check_node() {
  command -v node >/dev/null || fail "Node.js 20.12 or newer is needed and 'node' is not on the PATH. Install it from https://nodejs.org (or use --docker)."
  # 20.12 brought crypto.hash(), which hashes every call's key.
  local recent
  recent="$(node -p 'const [major, minor] = process.versions.node.split(".").map(Number); major > 20 || (major === 20 && minor >= 12)')"
  [[ "$recent" == "true" ]] || fail "Node.js 20.12 or newer is needed; this is $(node --version). Install a newer one from https://nodejs.org (or use --docker)."
  command -v npm >/dev/null || fail "npm is needed (it comes with Node.js) and is not on the PATH."
}

check_docker() {
  command -v docker >/dev/null || fail "--docker needs Docker and 'docker' is not on the PATH. Install it from https://docs.docker.com/get-docker/."
  docker info >/dev/null 2>&1 || fail "Docker is installed but its engine does not answer (is it running, and may this user use it?)."
}

# ------------------------------------------------------------------ the background process
running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  # A pid is only ours if it is alive and runs the gateway (pids get reused).
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && ps -o command= -p "$pid" 2>/dev/null | grep -q 'dist/server.js'; then
    printf '%s' "$pid"
    return 0
  fi
  rm -f "$PID_FILE"
  return 1
}

running_url() { if [[ -f "$URL_FILE" ]]; then cat "$URL_FILE"; else local_url "$port"; fi; }

# ------------------------------------------------------------------ .env: generated once, never overwritten
ensure_env_file() {
  mkdir -p "$DATA_DIR"
  chmod 700 "$DATA_DIR"
  local created=false
  if [[ ! -f "$ENV_FILE" ]]; then
    (umask 077 && printf '# Written by quick-start.sh on %s. Secret: keep it 0600, never commit it.\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$ENV_FILE")
    created=true
  fi
  if [[ "$(stat -c %a "$ENV_FILE" 2>/dev/null || stat -f %Lp "$ENV_FILE")" != 600 ]]; then
    chmod 600 "$ENV_FILE"
    say "Tightened $ENV_FILE to mode 0600."
  fi
  # Only variables that are missing are added: an existing value is never replaced. Secrets an
  # earlier start generated into the data dir are kept, so stored credentials stay readable.
  add_missing() {
    grep -q "^$1=" "$ENV_FILE" && return 0
    # A hand-edited file may lack its last newline; the new line must not join it.
    if [[ -s "$ENV_FILE" && -n "$(tail -c 1 "$ENV_FILE")" ]]; then printf '\n' >>"$ENV_FILE"; fi
    printf '%s=%s\n' "$1" "$2" >>"$ENV_FILE"
  }
  from_file_or() { if [[ -s "$1" ]]; then tr -d '\n' <"$1"; else printf '%s' "$2"; fi; }
  add_missing GATEWAY_SECRET_KEY "$(from_file_or "$DATA_DIR/secret.key" "$(rand_hex 32)")"
  add_missing GATEWAY_JWT_SECRET "$(from_file_or "$DATA_DIR/jwt.secret" "$(rand_hex 32)")"
  add_missing GATEWAY_ADMIN_USER admin
  add_missing GATEWAY_ADMIN_PASSWORD "$(from_file_or "$DATA_DIR/admin-password.txt" "$(rand_hex 16)")"
  add_missing GATEWAY_CONFIG gateway.config.yaml
  add_missing GATEWAY_DATA_DIR data
  if $created; then say "Created $ENV_FILE with generated secrets (mode 0600)."; fi
}

# The name and value of each variable .env sets, NUL-separated. Read in a subshell, so .env sets
# nothing here; the values are what a shell makes of them (quotes, $VARIABLES).
env_file_values() {
  (
    set -a
    # shellcheck disable=SC1090 # written by ensure_env_file
    . "$ENV_FILE"
    set +a
    sed -n 's/^[[:space:]]*\(export[[:space:]]\{1,\}\)\{0,1\}\([A-Za-z_][A-Za-z0-9_]*\)=.*/\2/p' "$ENV_FILE" | while IFS= read -r name; do
      printf '%s\0%s\0' "$name" "${!name-}"
    done
  )
}

# The usual dotenv rule: a variable set (non-empty) in the caller's environment wins over .env,
# which only supplies what is unset. from_caller: the ones whose value differs from .env's.
from_caller=()
load_env_file() {
  local name value mine secret_key_in_file=""
  from_caller=()
  while IFS= read -r -d '' name && IFS= read -r -d '' value; do
    mine="$(printenv "$name" || true)"
    if [[ -z "$mine" ]]; then
      export "$name=$value"
    elif [[ "$mine" != "$value" ]]; then
      from_caller+=("$name")
      [[ "$name" != GATEWAY_SECRET_KEY ]] || secret_key_in_file="$value"
    fi
  done < <(env_file_values)
  export HOST="$host" PORT="$port"
  if [[ ${#from_caller[@]} -gt 0 ]]; then
    say "From your environment, not .env (set there, it wins): ${from_caller[*]}."
  fi
  # Only worth saying when there is a database whose credentials may be sealed under .env's key.
  if [[ -n "$secret_key_in_file" && -f "${GATEWAY_DATA_DIR:-data}/gateway.sqlite" ]]; then
    say "  Note: your GATEWAY_SECRET_KEY is not the one in $ENV_FILE (which is left unchanged): provider credentials stored under that one cannot be decrypted with yours, and the ones stored now will need yours."
  fi
}

from_caller_has() { local name; for name in ${from_caller[@]+"${from_caller[@]}"}; do [[ "$name" != "$1" ]] || return 0; done; return 1; }

# ------------------------------------------------------------------ install, build, migrate
install_and_build() {
  local stamp="node_modules/.package-lock.json"
  if $skip_install; then
    [[ -d node_modules ]] || fail "--skip-install, but there is no node_modules here: run npm ci first."
    say "Dependencies: not checked (--skip-install)."
  elif $reinstall || [[ ! -d node_modules || ! -f "$stamp" || package-lock.json -nt "$stamp" ]]; then
    # npm ci empties node_modules first; through a symlink that would empty another checkout's.
    [[ ! -L node_modules ]] || fail "node_modules is a symlink and npm ci would empty what it points to. Run npm ci where it points, then re-run with --skip-install."
    say "Installing dependencies (npm ci) ..."
    npm ci --no-audit --no-fund
  else
    say "Dependencies are installed (node_modules is current; --reinstall forces npm ci)."
  fi
  say "Building (npm run build) ..."
  npm run --silent build
}

# Where this run's lines of the log start (set when this run starts the gateway in the background):
# a failed start shows only its own lines, and the log of an earlier run says nothing of this one.
log_offset=""
this_run_log() { [[ -n "$log_offset" && -f "$LOG_FILE" ]] && tail -c "+$((log_offset + 1))" "$LOG_FILE"; }

# Whether the gateway process `pid` is the one that answers: alive, and (when this run started it
# in the background and it logs at info) its own log says it listens. A /readyz answer alone could
# come from a gateway of another checkout that got the port first.
ours_answers() { # pid
  kill -0 "$1" 2>/dev/null || return 1
  [[ -n "$log_offset" ]] || return 0
  case "${LOG_LEVEL:-info}" in info | debug | trace) ;; *) return 0 ;; esac
  local log
  log="$(this_run_log || true)"
  grep -qE "\"pid\":$1,.*Server listening at" <<<"$log"
}

start_failed() { # the gateway process exited before it was ready
  local log
  log="$(this_run_log || true)"
  if [[ -n "$log" ]]; then printf '%s\n' "$log" | tail -n 40 >&2; fi
  if [[ "$log" == *EADDRINUSE* ]]; then
    fail "the gateway could not listen: port $port on $host was taken by another program while it started: $(port_advice)."
  fi
  # The gateway's own words for it (older builds printed only the cipher's).
  if [[ "$log" == *'sealed under another key'* || "$log" == *'unable to authenticate data'* ]]; then
    local whose="the one in $ENV_FILE" advice="Start it with the key they were stored under."
    if from_caller_has GATEWAY_SECRET_KEY; then whose="yours, from your environment" advice="Unset GATEWAY_SECRET_KEY to use the one in $ENV_FILE, or set the key they were stored under."; fi
    fail "the gateway cannot decrypt the provider credentials stored in ${GATEWAY_DATA_DIR:-data}: they were stored under another GATEWAY_SECRET_KEY than $whose. $advice"
  fi
  if [[ -n "$log_offset" ]]; then fail "the gateway exited while starting (this start's log lines are above; all of them: $LOG_FILE)."; fi
  fail "the gateway exited while starting (its messages are above)."
}

wait_ready() { # url pid|container
  local url="$1" who="$2" deadline=$((SECONDS + 60))
  until gateway_ready "$url" && { $docker || ours_answers "$who"; }; do
    if $docker; then
      [[ "$(docker inspect -f '{{.State.Running}}' "$who" 2>/dev/null)" == true ]] || { docker logs --tail 40 "$who" >&2 || true; fail "the gateway container stopped while starting (its last log lines are above)."; }
    elif ! kill -0 "$who" 2>/dev/null; then
      start_failed
    fi
    [[ $SECONDS -lt $deadline ]] || fail "the gateway did not become ready at $url/readyz within 60 s (see ./quick-start.sh --logs)."
    sleep 0.3
  done
}

# ------------------------------------------------------------------ the demo key and the printout
demo_json() { # url
  if $docker; then docker exec "$CONTAINER" node dist/cli.js demo --json --url "http://127.0.0.1:8787"
  else node dist/cli.js demo --json --url "$1"
  fi
}

print_summary() { # url where
  local url="$1" where="$2" setup key
  say ""
  say "Pinpoint Gateway is ready at $url $where"
  if [[ "$host" == 0.0.0.0 || "$host" == "::" ]]; then say "  It listens on every interface ($host): other machines reach it at this machine's address."; fi
  say "  Status / stop / logs:  ./quick-start.sh --status | --stop | --logs$($docker && printf ' (add --docker)')"
  if from_caller_has GATEWAY_ADMIN_PASSWORD; then say "  Admin user 'admin':    the password is GATEWAY_ADMIN_PASSWORD from your environment"
  else say "  Admin user 'admin':    the password is GATEWAY_ADMIN_PASSWORD in $ENV_FILE"
  fi
  if $show_password; then say "  Admin password:        $GATEWAY_ADMIN_PASSWORD"; fi
  say "  Metrics:               $url/metrics    Health: $url/readyz"
  if ! setup="$(demo_json "$url" 2>&1)"; then
    printf '%s\n' "$setup" >&2
    if from_caller_has GATEWAY_ADMIN_PASSWORD || from_caller_has GATEWAY_ADMIN_USER; then
      say "(Your environment sets GATEWAY_ADMIN_USER/GATEWAY_ADMIN_PASSWORD, not .env: the password is given to the first admin only when the database is created; an existing database keeps its admin's password.)" >&2
    fi
    fail "the gateway is running, but the demo key could not be created (the message above says why). Stop it with ./quick-start.sh --stop."
  fi
  key="$(printf '%s' "$setup" | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')"
  [[ -n "$key" ]] || fail "the demo setup answered without a key: $setup"
  say "  Demo key (new each run; tenant 'demo', app 'demo-app', models mock-chat and mock-embed):"
  say "    $key"
  say ""
  say "Call the offline mock model with curl:"
  say ""
  say "curl -s $url/v1/chat/completions -H \"Authorization: Bearer $key\" -H \"Content-Type: application/json\" -d '{\"model\":\"mock-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}'"
  say ""
  say "or with the openai SDK for Node (run it in $ROOT, where openai is installed):"
  say ""
  say "node --input-type=module -e \"import OpenAI from 'openai'; const client = new OpenAI({ baseURL: '$url/v1', apiKey: '$key' }); const answer = await client.chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'Hello!' }] }); console.log(answer.choices[0].message.content);\""
  say ""
}

# ------------------------------------------------------------------ native mode
native_status() {
  local pid
  if pid="$(running_pid)"; then
    local url; url="$(running_url)"
    if gateway_ready "$url"; then say "The gateway is running at $url (pid $pid) and ready."
    else say "The gateway is running at $url (pid $pid) but not ready (starting, draining or overloaded: see ./quick-start.sh --logs)."
    fi
    return 0
  fi
  say "The gateway is not running (start it with ./quick-start.sh)."
  return 3
}

native_stop() {
  local pid
  if ! pid="$(running_pid)"; then say "The gateway is not running."; return 0; fi
  say "Stopping the gateway (pid $pid): in-flight calls may finish first ..."
  kill -TERM "$pid"
  # GATEWAY_SHUTDOWN_GRACE_MS (default 25 s) plus the gateway's own 5 s flush margin.
  local grace_ms="${GATEWAY_SHUTDOWN_GRACE_MS:-25000}"
  local deadline=$((SECONDS + grace_ms / 1000 + 10))
  while kill -0 "$pid" 2>/dev/null; do
    if [[ $SECONDS -ge $deadline ]]; then
      kill -KILL "$pid" 2>/dev/null || true
      say "It did not stop in time and was killed."
      break
    fi
    sleep 0.2
  done
  rm -f "$PID_FILE"
  say "Stopped."
}

native_start() {
  check_node
  local pid
  if pid="$(running_pid)"; then
    local url; url="$(running_url)"
    say "The gateway is already running at $url (pid $pid); nothing to install or start. (--stop, then run again, to pick up changes or another --port/--host.)"
    ensure_env_file
    load_env_file
    if [[ ${#from_caller[@]} -gt 0 ]]; then say "  (The running gateway keeps the settings it was started with: --stop, then run again, to apply yours.)"; fi
    wait_ready "$url" "$pid"
    print_summary "$url" "(pid $pid, already running)"
    return 0
  fi
  # Before the build: a port another program holds fails now, not after a minute of building.
  check_port_free
  install_and_build
  ensure_env_file
  load_env_file
  say "Applying database migrations ..."
  node dist/cli.js migrate
  local url; url="$(local_url "$port")"
  printf '%s\n' "$url" >"$URL_FILE"
  # Two glibc malloc arenas instead of up to eight per core, and blocks of 128 KiB and more from
  # mmap (returned to the system when freed) instead of a threshold glibc keeps raising: each
  # about 25 MB less RSS, at no measured CPU cost (README, Performance). Your own values
  # (environment or .env) win.
  export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
  export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"
  if $foreground; then
    # The summary is printed by a helper once the gateway is ready; the gateway itself takes over
    # this process (exec keeps the pid), so Ctrl-C and SIGTERM reach it directly and drain it.
    printf '%s\n' "$$" >"$PID_FILE"
    ( wait_ready "$url" "$$" && print_summary "$url" "(pid $$, in the foreground: Ctrl-C stops it)" ) &
    exec node dist/server.js
  fi
  log_offset="$(if [[ -f "$LOG_FILE" ]]; then wc -c <"$LOG_FILE" | tr -d ' '; else printf 0; fi)"
  nohup node dist/server.js >>"$LOG_FILE" 2>&1 </dev/null &
  pid=$!
  printf '%s\n' "$pid" >"$PID_FILE"
  say "Started the gateway (pid $pid, log $LOG_FILE); waiting for $url/readyz ..."
  wait_ready "$url" "$pid"
  print_summary "$url" "(pid $pid, in the background)"
}

# ------------------------------------------------------------------ docker mode
docker_state() { docker inspect -f '{{.State.Running}}' "$CONTAINER" 2>/dev/null || printf 'absent'; }

docker_start() {
  check_docker
  local url; url="$(local_url "$port")"
  ensure_env_file
  load_env_file
  case "$(docker_state)" in
    true) say "The container $CONTAINER is already running; nothing to build or start." ;;
    false) say "Starting the existing container $CONTAINER ..."; docker start "$CONTAINER" >/dev/null ;;
    *)
      say "Building the image $IMAGE ..."
      docker build -t "$IMAGE" .
      say "Starting the container $CONTAINER (data in the volume $VOLUME) ..."
      # The container always listens on 0.0.0.0:8787 inside; --host/--port choose the published address.
      # -e NAME (no value) passes this shell's value: the caller's environment wins over .env here too.
      local name passed=()
      for name in ${from_caller[@]+"${from_caller[@]}"}; do
        [[ "$name" == GATEWAY_DATA_DIR || "$name" == GATEWAY_CONFIG ]] || passed+=(-e "$name")
      done
      docker run -d --name "$CONTAINER" --env-file "$ENV_FILE" ${passed[@]+"${passed[@]}"} \
        -e GATEWAY_DATA_DIR=/data -e GATEWAY_CONFIG=/app/gateway.config.yaml -e HOST=0.0.0.0 -e PORT=8787 \
        -p "$host:$port:8787" -v "$VOLUME:/data" --restart unless-stopped "$IMAGE" >/dev/null
      ;;
  esac
  wait_ready "$url" "$CONTAINER"
  print_summary "$url" "(container $CONTAINER)"
}

docker_status() {
  check_docker
  if [[ "$(docker_state)" == true ]]; then
    say "The container $CONTAINER is running ($(docker inspect -f '{{.State.Health.Status}}' "$CONTAINER" 2>/dev/null || printf 'no health status'))."
    return 0
  fi
  say "The container $CONTAINER is not running (start it with ./quick-start.sh --docker)."
  return 3
}

# ------------------------------------------------------------------ dispatch
if $docker; then
  case "$action" in
    start) docker_start ;;
    status) docker_status ;;
    stop) check_docker; if [[ "$(docker_state)" == true ]]; then docker stop -t 35 "$CONTAINER" >/dev/null; say "Stopped the container $CONTAINER (its data stays in the volume $VOLUME)."; else say "The container $CONTAINER is not running."; fi ;;
    logs) check_docker; if [[ -t 1 ]]; then docker logs --tail 100 -f "$CONTAINER"; else docker logs --tail 100 "$CONTAINER"; fi ;;
  esac
else
  case "$action" in
    start) native_start ;;
    status) native_status ;;
    stop) native_stop ;;
    logs)
      [[ -f "$LOG_FILE" ]] || fail "there is no log yet at $LOG_FILE (the gateway has not been started in the background here)."
      if [[ -t 1 ]]; then tail -n 100 -f "$LOG_FILE"; else tail -n 100 "$LOG_FILE"; fi
      ;;
  esac
fi
