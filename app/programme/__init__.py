"""The programme of a meeting as a file the secretariat writes and imports."""

from app.programme.file import dump_programme, load_programme
from app.programme.source import InvalidProgramme

__all__ = ["InvalidProgramme", "dump_programme", "load_programme"]
