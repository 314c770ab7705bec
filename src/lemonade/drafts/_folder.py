"""A kit folder on disk: each file written whole (a temporary file beside it, then a rename), a small manifest of
what lemonade wrote there, and a refusal to overwrite or remove a file a person changed since, unless forced.

The manifest, ``.lemonade.json``, holds a schema version and the SHA-256 of each file lemonade wrote there, over
every write. A later write replaces a file only where it is unchanged since (or already holds exactly the new
content), and removes only the files it is told to retire (a step drafted again that fails now leaves no stale
file to send); every other file of an earlier write stays, and stays in the manifest. Files the manifest does not
name are never touched.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

from .._errors import InputError
from ..situation._files import read_json
from ._files import write_files

__all__ = ["MANIFEST", "MANIFEST_VERSION", "unchanged", "write_folder"]

MANIFEST = ".lemonade.json"
MANIFEST_VERSION = 1

_PLAIN = re.compile(r"[A-Za-z0-9_][\w.-]*")
"""A file name with no folder in it; the only names written, replaced or removed."""


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write(path: Path, data: bytes) -> None:
    write_files(path.parent, {path.name: data})


def _manifest(folder: Path) -> dict[str, str]:
    """What lemonade wrote into ``folder``: file name to digest (empty when it wrote nothing there, or the
    manifest cannot be read, so that nothing there counts as lemonade's)."""
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        data, _ = read_json(path, max_bytes=10_000_000, what="a manifest")
    except InputError:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return {}
    version = data.get("version")
    if isinstance(version, int) and version > MANIFEST_VERSION:
        raise InputError(
            f"{path}: written by a newer lemonade (manifest version {version}; this one reads {MANIFEST_VERSION}); "
            "upgrade lemonade, or write to another folder",
            field="folder",
        )
    return {n: d for n, d in data["files"].items() if _PLAIN.fullmatch(n) and isinstance(d, str)}


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def unchanged(folder: Path, name: str) -> bool:
    """Whether ``name`` in ``folder`` is a file lemonade wrote there, as it wrote it."""
    now = _current(folder / name) if (folder / name).is_file() else None
    return now is not None and _manifest(folder).get(name) == _digest(now)


def write_folder(
    folder: Path, files: dict[str, bytes], *, retire: Iterable[str] = (), force: bool = False
) -> list[Path]:
    """Write ``files`` into ``folder`` (created if needed), remove the files named in ``retire`` that lemonade
    wrote there, and return the paths written, in order. Every other file is left as it is.

    Raises ``InputError``, writing nothing, where a file it would replace or remove was changed since lemonade
    wrote it, or was not written by lemonade; ``force`` replaces and removes them all the same.
    """
    if bad := [name for name in files if not _PLAIN.fullmatch(name)]:
        raise InputError(f"not a file name for a kit folder: {bad[0]!r}", field="files")
    folder.mkdir(parents=True, exist_ok=True)
    known = _manifest(folder)
    edited: list[str] = []
    for name, data in files.items():
        now = _current(folder / name)
        if now is not None and now != data and known.get(name) != _digest(now):
            edited.append(name)
    stale = [
        name for name in dict.fromkeys(retire) if name in known and name not in files and (folder / name).is_file()
    ]
    edited += [name for name in stale if known[name] != _digest((folder / name).read_bytes())]
    if edited and not force:
        raise InputError(
            f"{folder}: {', '.join(sorted(edited))} changed since lemonade wrote them (or were not written by it); "
            "nothing was written. Move them elsewhere, or overwrite them with --force (Kit.save(..., force=True))",
            field="folder",
        )
    written = []
    for name, data in files.items():
        _write(folder / name, data)
        written.append(folder / name)
    for name in stale:
        (folder / name).unlink(missing_ok=True)
    kept = {
        name: d for name, d in known.items() if name not in stale and name not in files and (folder / name).is_file()
    }
    manifest = {"version": MANIFEST_VERSION, "files": kept | {name: _digest(data) for name, data in files.items()}}
    _write(folder / MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode())
    return written
