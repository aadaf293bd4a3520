"""Write ``instance/config.py`` with a random SECRET_KEY on first run (used by `make run`)."""
from __future__ import annotations

import secrets

from casting.config import INSTANCE


def main() -> None:
    """Create the instance folder and its config.py once; never overwrite an existing one."""
    INSTANCE.mkdir(exist_ok=True)
    (INSTANCE / "outbox").mkdir(exist_ok=True)
    path = INSTANCE / "config.py"
    if path.exists():
        return
    path.write_text(
        "# Written by `make run` on first run. Keep this file secret; it is git-ignored.\n"
        f"SECRET_KEY = {secrets.token_hex(32)!r}\n"
    )
    path.chmod(0o600)
    print(f"wrote {path} with a new random SECRET_KEY")


if __name__ == "__main__":
    main()
