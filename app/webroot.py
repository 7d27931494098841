"""Where the screens (web/) are: inside the installed package, or beside it in the source tree.

A wheel carries web/ as package data under app/web/ (setup.py copies it there when it builds);
a checkout or an editable install has it at the top of the source tree, where it is edited."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def web_root() -> Path:
    """The directory holding moderator/, tablet/, display/, chair/, shared/ and i18n/."""
    package = Path(str(files("app")))  # a regular package: always a directory on disk
    for candidate in (package / "web", package.parent / "web"):
        if (candidate / "shared").is_dir():
            return candidate
    raise RuntimeError(f"the screens are missing: no web/ in {package} or beside it")
