"""Packaging: everything but the package list is in pyproject.toml.

This file exists because pyproject.toml cannot both discover the ``casting`` packages and map the top-level
``templates/``, ``static/`` and ``migrations/`` folders into the package. The wheel carries them as
``casting/templates``, ``casting/static`` and ``casting/migrations``; ``casting.config.ROOT`` finds them there in an
installed copy, and at the repository root in a checkout (an editable install included).
"""
import os

from setuptools import find_packages, setup

# Top-level folders of the repository shipped inside the package: {package name: folder}.
BUNDLED = {"casting.templates": "templates", "casting.static": "static", "casting.migrations": "migrations"}


def bundled_packages() -> list[str]:
    """Each bundled folder and its subfolders as (data-only) packages, so setuptools copies every file in them."""
    names = []
    for package, folder in BUNDLED.items():
        for path, dirs, _files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            relative = os.path.relpath(path, folder)
            names.append(package if relative == os.curdir else ".".join([package, *relative.split(os.sep)]))
    return names


DATA = bundled_packages()
# Folders of data files inside the casting package (no __init__.py): shipped as data-only packages.
PACKAGE_DATA = {"casting.accounts.data": ["common-passwords.txt", "README.md"]}

setup(
    packages=find_packages(include=["casting", "casting.*"]) + DATA + list(PACKAGE_DATA),
    package_dir=BUNDLED,
    package_data={**{name: ["*"] for name in DATA}, **PACKAGE_DATA},
)
