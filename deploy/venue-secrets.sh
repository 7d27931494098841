#!/bin/sh
# Makes .env beside docker-compose.yml: the secretariat's sign-in token and Redis's password,
# each 32 random bytes in hex (letters and digits only, so that they go into a URL as they
# are). An existing .env is kept: changing Redis's password needs `docker compose up -d` of
# every service, and changing the token signs the secretariat out. The file is readable by
# its owner only; nothing is printed but where it is.
set -eu
cd "$(dirname "$0")/.."
if [ -e .env ]; then
    echo "kept .env (delete it first to make new secrets)"
    exit 0
fi
secret() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }
umask 077
{
    echo "FLOORKEEPER_SECRETARIAT_TOKEN=$(secret)"
    echo "FLOORKEEPER_REDIS_PASSWORD=$(secret)"
} > .env
echo "wrote $(pwd)/.env (owner only): the secretariat token and Redis's password"
