"""Configuration: instance/config.py is read from the instance folder (where `make run` writes SECRET_KEY)."""
from __future__ import annotations

import os
import subprocess
import sys

from casting.config import INSTANCE, ROOT


def test_instance_config_is_read_from_the_instance_folder(app, tmp_path):
    assert app.instance_path == str(INSTANCE)
    # from_pyfile resolves relative names against the config's root: it must be the instance folder.
    assert app.config.root_path == str(INSTANCE)
    config = tmp_path / "x.py"
    config.write_text("FROM_FILE = 'yes'\n")
    assert app.config.from_pyfile(str(config)) and app.config["FROM_FILE"] == "yes"


def test_callback_instance_path_moves_the_instance_folder(tmp_path):
    """CALLBACK_INSTANCE_PATH (relative to the working directory) replaces instance/; templates stay where they are."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"CALLBACK_INSTANCE_PATH": "data/inst"}
    out = subprocess.run(
        [sys.executable, "-c", "from casting.config import INSTANCE, ROOT; print(INSTANCE); print(ROOT)"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    ).stdout.split("\n")
    assert out[:2] == [str(tmp_path.resolve() / "data" / "inst"), str(ROOT)]
