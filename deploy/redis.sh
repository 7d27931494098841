#!/bin/sh
# Redis for the venue, started by docker-compose.yml (and by the test suite, tests/venue/):
# the default user is switched off and the app has a user of its own, `floorkeeper`, whose
# password comes from FLOORKEEPER_REDIS_PASSWORD_FILE (a secret file) or else from
# FLOORKEEPER_REDIS_PASSWORD. Only its SHA-256 goes into the ACL file, and the password itself
# is never on a command line or in a log. Every other argument is passed to redis-server.
set -eu

if [ -n "${FLOORKEEPER_REDIS_PASSWORD_FILE:-}" ]; then
    password=$(cat "$FLOORKEEPER_REDIS_PASSWORD_FILE")
else
    password=${FLOORKEEPER_REDIS_PASSWORD:-}
fi
if [ -z "$password" ]; then
    echo "redis.sh: set FLOORKEEPER_REDIS_PASSWORD or FLOORKEEPER_REDIS_PASSWORD_FILE" >&2
    exit 2
fi

acl=${FLOORKEEPER_REDIS_ACL_FILE:-/tmp/floorkeeper-users.acl}
digest=$(printf '%s' "$password" | sha256sum | cut -d ' ' -f 1)
umask 077
# The app's commands, its scripts and its pub/sub channels; no administration, no FLUSHALL,
# no KEYS, no DEBUG (-@admin -@dangerous).
printf 'user default off\nuser floorkeeper on #%s ~* &* +@all -@admin -@dangerous\n' \
    "$digest" > "$acl"
exec redis-server --aclfile "$acl" "$@"
