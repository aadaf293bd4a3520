"""Configuration: instance/config.py is read from the instance folder (where `make run` writes SECRET_KEY)."""
from __future__ import annotations

from casting.config import INSTANCE


def test_instance_config_is_read_from_the_instance_folder(app, tmp_path):
    assert app.instance_path == str(INSTANCE)
    # from_pyfile resolves relative names against the config's root: it must be the instance folder.
    assert app.config.root_path == str(INSTANCE)
    config = tmp_path / "x.py"
    config.write_text("FROM_FILE = 'yes'\n")
    assert app.config.from_pyfile(str(config)) and app.config["FROM_FILE"] == "yes"
