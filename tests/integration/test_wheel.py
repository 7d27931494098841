"""The wheel runs by itself: built from the sources, installed into a fresh virtualenv with
its dependencies (as the Dockerfile does), started as `floorkeeper serve --demo` far from the
source tree, it serves every screen and the scripts they load."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, free_port, wait_for

# Building and installing take a minute, more on a busy machine.
pytestmark = pytest.mark.timeout(600)

SCREENS = ("moderator", "tablet", "display", "chair")
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "app", "web")


def build_wheel(into: Path) -> Path:
    """From a copy of the sources, so that no build/ directory is left in the tree."""
    source = into / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            caches = shutil.ignore_patterns("__pycache__")
            shutil.copytree(ROOT / name, source / name, ignore=caches)
        else:
            shutil.copy2(ROOT / name, source / name)
    wheels = into / "wheels"
    pip = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir"]
    subprocess.run([*pip, str(wheels), str(source)], check=True, stdin=subprocess.DEVNULL)
    (wheel,) = wheels.glob("floorkeeper-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the wheel and its dependencies, and nothing of the tree."""
    work = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(work)
    env_dir = work / "env"
    venv.create(env_dir, with_pip=True)
    pip = [str(env_dir / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, str(wheel)], check=True, stdin=subprocess.DEVNULL)
    return env_dir


@pytest.fixture(scope="module")
def served(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    run_dir = tmp_path_factory.mktemp("run")  # its var/ goes here, far from the source tree
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PYTHONPATH")}
    env["FLOORKEEPER_DATA_DIR"] = str(run_dir / "var")
    log = (run_dir / "serve.log").open("wb")
    process = subprocess.Popen(
        [str(installed / "bin" / "floorkeeper"), "serve", "--demo", "--port", str(port)],
        cwd=run_dir,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"floorkeeper exited: {(run_dir / 'serve.log').read_text()}")
        try:
            return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(healthy, "the installed floorkeeper did not start", seconds=60)
        yield base
    finally:
        process.terminate()
        process.wait(15)
        log.close()


def test_the_installed_package_finds_its_screens_inside_itself(installed: Path) -> None:
    where = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import app.webroot as w; print(w.web_root())"],
        cwd=installed,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(installed), where
    assert not Path(where).is_relative_to(ROOT), where


def test_every_screen_and_its_scripts_are_served_from_the_wheel(served: str) -> None:
    with httpx.Client(base_url=served, timeout=10) as client:
        for screen in SCREENS:
            page = client.get(f"/{screen}?meeting=demo")
            assert page.status_code == 200, screen
            assert "<html" in page.text
            scripts = re.findall(r'<script type="module" src="(/static/[^"]+\.js)"', page.text)
            assert scripts, f"{screen} loads no script"
            for path in scripts + re.findall(r'href="(/static/[^"]+\.css)"', page.text):
                asset = client.get(path)
                assert asset.status_code == 200, path
                assert asset.text.strip(), path
            # One of the modules the screen's script imports, by its own relative path.
            imported = re.findall(r'from "\.\./shared/([\w.]+\.js)"', client.get(scripts[0]).text)
            assert imported, f"{scripts[0]} imports nothing from shared/"
            assert client.get(f"/static/shared/{imported[0]}").status_code == 200
        demo = client.get("/api/meetings/demo")
        assert demo.status_code == 200
