"""floorkeeper programme import / export: a meeting's programme file, in and out of the store.

Import writes through the same use case as `PUT /api/meetings/{id}/programme`: the change is
versioned, recorded and published, so the screens of a running server show it at once. The
store is `--redis-url`, else REDIS_URL, else the embedded server of FLOORKEEPER_DATA_DIR:
the running app's if it answers, or one started for the command.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.errors import DomainError
from app.meetings.service import Meetings
from app.programme import InvalidProgramme, dump_programme, load_programme
from app.redis_client import open_store
from app.redis_server import EmbeddedRedis
from app.settings import Settings

BY = "secretariat:cli"
"""How the record names an import from the command line."""

T = TypeVar("T")


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    programme = commands.add_parser("programme", help="import or export a meeting's programme")
    actions = programme.add_subparsers(dest="action", required=True)
    store_help = "the meeting store (default: REDIS_URL, else the embedded server's data)"

    put = actions.add_parser("import", help="create or replace a meeting from a programme file")
    put.add_argument("file", help="the YAML programme file; - reads standard input")
    put.add_argument("--meeting", required=True, metavar="ID", help="the meeting's id")
    put.add_argument("--redis-url", metavar="URL", help=store_help)
    put.set_defaults(handler=import_programme)

    get = actions.add_parser("export", help="write a meeting's programme file")
    get.add_argument("--meeting", required=True, metavar="ID", help="the meeting's id")
    get.add_argument("-o", "--output", default="-", metavar="FILE", help="default: standard output")
    get.add_argument("--redis-url", metavar="URL", help=store_help)
    get.set_defaults(handler=export_programme)


def import_programme(args: argparse.Namespace) -> int:
    name = "<stdin>" if args.file == "-" else args.file
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8-sig")
        # Checked before the store is touched: a malformed file needs no server to be told so.
        meeting = load_programme(text, args.meeting)
    except OSError as error:
        return _fail(f"cannot read {name}: {error.strerror}")
    except UnicodeDecodeError:
        return _fail(f"{name} is not UTF-8 text")
    except InvalidProgramme as refused:
        for problem in refused.problems:
            print(f"{name}: {problem}", file=sys.stderr)
        count = len(refused.problems)
        return _fail(f"{name} was not imported: {count} problem{'s' * (count != 1)}")

    async def put(meetings: Meetings) -> int:
        return await meetings.put_meeting(meeting, BY)

    try:
        version = _run(args.redis_url, put)
    except _Failed as failed:
        return _fail(str(failed))
    print(f"{name}: imported as meeting {args.meeting} (version {version})")
    return 0


def export_programme(args: argparse.Namespace) -> int:
    async def get(meetings: Meetings) -> str:
        return dump_programme(await meetings.meeting(args.meeting))

    try:
        text = _run(args.redis_url, get)
        if args.output == "-":
            sys.stdout.write(text)
        else:
            Path(args.output).write_text(text, "utf-8")
    except _Failed as failed:
        return _fail(str(failed))
    except OSError as error:
        return _fail(f"cannot write {args.output}: {error.strerror}")
    return 0


class _Failed(Exception):
    """The store refused or could not be reached; the sentence says which."""


def _run(url: str | None, use: Callable[[Meetings], Awaitable[T]]) -> T:
    async def run() -> T:
        async with _meetings(url) as meetings:
            return await use(meetings)

    try:
        return asyncio.run(run())
    except DomainError as error:
        raise _Failed(error.message) from None
    except (RedisError, OSError) as error:
        raise _Failed(f"the meeting store cannot be reached: {error}") from None


@asynccontextmanager
async def _meetings(url: str | None) -> AsyncIterator[Meetings]:
    settings = Settings()
    url = url or settings.redis_url
    embedded: EmbeddedRedis | None = None
    if url is None:
        embedded = EmbeddedRedis(settings.data_dir / "redis")
        url = embedded.url()
        if await _answers(url):
            embedded = None  # the running app's server: use it, leave it running
        else:
            embedded.start()
    redis = open_store(url, cluster=settings.redis_cluster, timeout_s=settings.redis_timeout_s)
    meetings = Meetings.on(redis)
    try:
        yield meetings
    finally:
        await meetings.close()
        await redis.aclose()
        if embedded is not None:
            await embedded.stop()


async def _answers(url: str) -> bool:
    client = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        return bool(await client.ping())
    except (RedisError, OSError):
        return False
    finally:
        await client.aclose()


def _fail(message: str) -> int:
    print(f"floorkeeper: {message}", file=sys.stderr)
    return 1
