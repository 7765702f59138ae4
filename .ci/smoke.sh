#!/usr/bin/env bash
# Smoke test of the production stack as deployed, without Docker: gunicorn with
# the production settings behind Debian's Caddy (the repository's Caddyfile, with
# Caddy's local certificate), two Celery workers, each in a working folder of its
# own, and beat, on PostgreSQL and Redis, with files in an S3 bucket (moto's
# server) as on several machines. A Playwright test then drives it over HTTPS
# (tests/smoke/). Everything started here is stopped at the end, by process id.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=$(cd "${VENV:-.venv}/bin" && pwd)
# Debian's caddy and chromium: `make smoke` installs them (.ci/system-deps.sh).
DEB_PACKAGES="caddy chromium" sh .ci/system-deps.sh

WORK=$(mktemp -d /tmp/metropolis-smoke.XXXXXX)
DB=metropolis_smoke
PIDS=()

cleanup() {
  status=$?
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  if [ "$status" != 0 ]; then tail -n 30 "$WORK"/*.log >&2 || true; fi
  dropdb -h 127.0.0.1 -U postgres --if-exists "$DB" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# start NAME FOLDER COMMAND...: in a process group of its own (its children
# included), from FOLDER, output in $WORK/NAME.log; its pid in $WORK/NAME.pid.
start() {
  local name=$1 folder=$2; shift 2
  (cd "$folder" && exec setsid "$@") >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  echo $! >"$WORK/$name.pid"
}

wait_for() {  # wait_for WHAT SECONDS COMMAND...
  local what=$1 seconds=$2; shift 2
  for _ in $(seq 1 "$seconds"); do "$@" >/dev/null 2>&1 && return; sleep 1; done
  echo "$what did not come up" >&2; exit 1
}

export DJANGO_SETTINGS_MODULE=metropolis.settings.production
export PYTHONPATH="$ROOT"
SECRET_KEY=$("$BIN/python" -c "import secrets; print(secrets.token_urlsafe(50))")
export SECRET_KEY
export ALLOWED_HOSTS=localhost,127.0.0.1
export CSRF_TRUSTED_ORIGINS=https://localhost:8443 PORTAL_BASE_URL=https://localhost:8443
export TRUSTED_PROXY_COUNT=1
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export CELERY_BROKER_URL=redis://127.0.0.1:6379/13
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
export STATIC_ROOT="$WORK/static" MEDIA_ROOT="$WORK/media" PRIVATE_MEDIA_ROOT="$WORK/web-private"
export FILE_STORAGE=s3 S3_ENDPOINT_URL=http://127.0.0.1:5077 S3_REGION=us-east-1
export S3_ACCESS_KEY_ID=smoke S3_SECRET_ACCESS_KEY=smoke S3_PUBLIC_BUCKET=smoke-public S3_PRIVATE_BUCKET=smoke-private
# A run whose worker died is taken over within seconds, not minutes.
export REPORT_RUN_HEARTBEAT_SECONDS=2 REPORT_RUN_STALE_SECONDS=10 REPORT_RUN_RECOVER_EVERY_SECONDS=5
export LOG_LEVEL=INFO

echo "== smoke: database, files, static ($(date -u +%T))"
dropdb -h 127.0.0.1 -U postgres --if-exists "$DB"
createdb -h 127.0.0.1 -U postgres "$DB"
redis-cli -n 13 flushdb >/dev/null
redis-cli -n 5 flushdb >/dev/null   # the cache, next to the broker's database (13 + 8) % 16
start s3 "$WORK" "$BIN/moto_server" -H 127.0.0.1 -p 5077
wait_for "S3 (moto)" 30 curl -sf http://127.0.0.1:5077/
"$BIN/python" - <<'PY'
import os, boto3
s3 = boto3.client("s3", endpoint_url=os.environ["S3_ENDPOINT_URL"], region_name="us-east-1",
                  aws_access_key_id="smoke", aws_secret_access_key="smoke")
for bucket in (os.environ["S3_PUBLIC_BUCKET"], os.environ["S3_PRIVATE_BUCKET"]):
    s3.create_bucket(Bucket=bucket)
PY
"$BIN/python" manage.py check --deploy --fail-level WARNING
"$BIN/python" manage.py migrate --noinput -v0
"$BIN/python" manage.py collectstatic --noinput -v0
"$BIN/python" manage.py load_metropolis_dataset >/dev/null
# The communications account, with an authenticator set up as a person would
# (the test computes its codes from the key; the step already used is noted).
"$BIN/python" manage.py shell -c "
from django.contrib.auth.models import Group
from django_otp.oath import totp
from members.models import User
from members.services.twofactor import two_factor_confirm, two_factor_start
user = User.objects.create_user(email='comms@smoke.example.org', password='smoke-test-Pa55word', full_name='Nora Smoke', is_staff=True)
user.groups.add(Group.objects.get(name='communications'))
device = two_factor_start(user=user)
two_factor_confirm(user=user, device=device, token=f'{totp(device.bin_key):06d}')
device.refresh_from_db()
open('$WORK/totp-key', 'w').write(f'{device.key} {device.last_t}\\n')
"

echo "== smoke: starting gunicorn, Caddy, two workers and beat ($(date -u +%T))"
start web "$WORK" "$BIN/gunicorn" metropolis.wsgi --bind 127.0.0.1:8001 --workers 2 --timeout 120
start caddy "$WORK" env SITE_ADDRESS=localhost HTTP_PORT=8080 HTTPS_PORT=8443 UPSTREAM=127.0.0.1:8001 \
  XDG_DATA_HOME="$WORK/caddy-data" XDG_CONFIG_HOME="$WORK/caddy-config" \
  caddy run --config "$ROOT/Caddyfile" --adapter caddyfile
for name in a b; do
  # Each worker in its own folder, with a private folder of its own that it must
  # not need: what it renders goes to the bucket, and the web process serves it.
  mkdir -p "$WORK/worker-$name"
  start "worker-$name" "$WORK/worker-$name" env PRIVATE_MEDIA_ROOT="$WORK/worker-$name/private" \
    "$BIN/celery" -A metropolis worker --queues default,reports --concurrency 1 \
    --hostname "smoke-$name@%h" --loglevel INFO
done
start beat "$WORK" "$BIN/celery" -A metropolis beat --schedule "$WORK/beat-schedule" --loglevel INFO
wait_for "gunicorn" 60 curl -sf http://127.0.0.1:8001/healthz
wait_for "Caddy over HTTPS" 60 curl -skf https://localhost:8443/healthz

echo "== smoke: the browser test over HTTPS ($(date -u +%T))"
read -r TOTP_KEY TOTP_USED_STEP <"$WORK/totp-key"
SMOKE_BASE_URL=https://localhost:8443 SMOKE_TOTP_KEY=$TOTP_KEY SMOKE_TOTP_USED_STEP=$TOTP_USED_STEP \
  SMOKE_EMAIL=comms@smoke.example.org SMOKE_PASSWORD=smoke-test-Pa55word \
  SMOKE_WORKER_PIDS="smoke-a=$(cat "$WORK/worker-a.pid") smoke-b=$(cat "$WORK/worker-b.pid")" \
  SMOKE_ARTIFACTS="$ROOT/artifacts/smoke" \
  "$BIN/pytest" -q -p no:randomly -p no:cacheprovider -m smoke tests/smoke --ds=metropolis.settings.production
echo "== smoke: passed ($(date -u +%T))"
