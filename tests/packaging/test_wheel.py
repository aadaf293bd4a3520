"""The wheel is a working installation: it carries templates/, static/ and migrations/, and once installed outside
the checkout it migrates a database and serves the home page.

The wheel is built from a copy of the sources (so nothing is written into the checkout) with pip's build isolation,
as `pip install .` does, and installed with --no-deps into a new virtual environment in tmp_path. Its dependencies
come from this environment's site-packages through a .pth file; the .pth files found there (this checkout's editable
install among them) are not processed, so `casting` can only come from the wheel, which the test checks.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from alembic.script import ScriptDirectory

from casting.config import ROOT

CHECKOUT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "setup.py", "README.md", "casting", "templates", "static", "migrations")
BUNDLED = ("templates", "static", "migrations")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")

PROBE = """
import json, sys
import casting
from casting import create_app
from casting.extensions import migrate
from casting.accounts.services import common_passwords
app = create_app()
client = app.test_client()
home = client.get("/")
css = client.get("/static/css/app.css")
print(json.dumps({
    "casting": casting.__file__, "templates": app.template_folder, "static": app.static_folder,
    "migrations": app.extensions["migrate"].directory, "instance": app.instance_path,
    "home": home.status_code, "home_text": home.get_data(as_text=True), "css": css.status_code,
    "sys_path": sys.path, "common_passwords": len(common_passwords()),
}))
"""


def _run(args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, **kwargs)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
            and p.suffix != ".pyc"}


def test_the_wheel_installs_migrates_and_serves(tmp_path):
    # This environment is the checkout's: the test compares the wheel with the checkout's folders.
    assert ROOT == CHECKOUT
    src = tmp_path / "src"
    src.mkdir()
    for name in SOURCES:
        if (CHECKOUT / name).is_dir():
            shutil.copytree(CHECKOUT / name, src / name, ignore=IGNORE)
        else:
            shutil.copy2(CHECKOUT / name, src / name)

    # Build as `pip install .` does (build isolation, the build-system requirements from the index).
    dist = tmp_path / "dist"
    build = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(dist), str(src)])
    assert "BuildBackendWarning" not in build.stdout + build.stderr, "the build prints a warning (see -v output)"
    (wheel,) = dist.glob("callback-*.whl")

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    for folder in BUNDLED:
        shipped = {n.removeprefix(f"casting/{folder}/") for n in names if n.startswith(f"casting/{folder}/")}
        assert shipped == _files(CHECKOUT / folder), folder
    assert not [n for n in names if n.endswith(".pyc") or "__pycache__" in n]
    assert not [n for n in names if n.split("/")[0] in BUNDLED]  # only inside the package
    assert "License-Expression: AGPL-3.0-or-later" in metadata
    # The common-password list and its source and licence travel with the package.
    assert {"casting/accounts/data/common-passwords.txt", "casting/accounts/data/README.md"} <= names

    # A new environment outside the checkout: the wheel, and this environment's packages for its dependencies.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index",
          str(wheel)])
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip())
    deps = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    (site / "_callback_test_dependencies.pth").write_text("".join(f"{path}\n" for path in deps))

    run = tmp_path / "run"
    run.mkdir()
    database = run / "callback.sqlite3"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "FLASK_", "CALLBACK_", "VIRTUAL_ENV", "MAIL_")) and k != "DATABASE_URL"}
    env |= {"SECRET_KEY": "wheel-test-secret", "DATABASE_URL": f"sqlite:///{database}"}

    _run([str(python), "-m", "flask", "--app", "casting", "db", "upgrade"], cwd=run, env=env)
    with sqlite3.connect(database) as conn:
        (version,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    assert version == ScriptDirectory(str(CHECKOUT / "migrations")).get_current_head()

    probe = json.loads(_run([str(python), "-c", PROBE], cwd=run, env=env).stdout)
    package = site / "casting"
    assert Path(probe["casting"]) == package / "__init__.py"
    assert str(CHECKOUT) not in probe["sys_path"]
    assert Path(probe["templates"]) == package / "templates"
    assert Path(probe["static"]) == package / "static"
    assert Path(probe["migrations"]) == package / "migrations"
    # Runtime data goes to ./instance (CALLBACK_INSTANCE_PATH unset), not into site-packages.
    assert Path(probe["instance"]) == run / "instance"
    assert probe["home"] == 200 and "Callback" in probe["home_text"]
    assert probe["css"] == 200
    assert probe["common_passwords"] == 10_000
