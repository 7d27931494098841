"""The wheel carries the screens: web/ stays at the top of the source tree, where it is edited,
and is copied into the built package as app/web/ (found by app/webroot.py). Everything else
about the package is in pyproject.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

WEB = Path(__file__).resolve().parent / "web"


class build_py_with_screens(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:  # an editable install reads web/ where it is
            target = Path(self.build_lib) / "app" / "web"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(WEB, target)


setup(cmdclass={"build_py": build_py_with_screens})
