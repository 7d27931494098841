#!/bin/sh
# Puts the venue's secrets in .env beside docker-compose.yml, which `docker compose` reads:
# the secretariat's sign-in token and Redis's password, each 32 random bytes in hex (letters
# and digits only, so that they go into a URL as they are). A secret already there is kept:
# changing Redis's password needs `docker compose up -d` of every service, and changing the
# token signs the secretariat out. The file is readable by its owner only; no secret is
# printed.
set -eu
env_file=${VENUE_ENV_FILE:-"$(cd "$(dirname "$0")/.." && pwd)/.env"}
umask 077
touch "$env_file"
chmod 600 "$env_file"
secret() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }
for name in FLOORKEEPER_SECRETARIAT_TOKEN FLOORKEEPER_REDIS_PASSWORD; do
    if grep -q "^$name=." "$env_file"; then
        echo "kept $name in $env_file"
    else
        echo "$name=$(secret)" >> "$env_file"
        echo "wrote a new $name to $env_file (owner only)"
    fi
done
