"""The cohort's journal: one SQLite row per finished step, committed before its result is handed on.

A cohort killed at any moment (even by SIGKILL) and run again with the same journal asks for nothing it
already has: each situation's finished steps are read back, and only the rest are requested. A step is
finished when it has a draft (passing its guardrails or not); a step that ended in an error is tried
again on the next run. Rows are keyed by the situation's key and step, and carry a fingerprint of the
situation, so a situation that was changed between runs is drafted afresh; so is a step whose row no longer
reads as its draft (a damaged row, or one another lemonade wrote), and the new draft replaces the row.

One process writes a journal at a time: the journal is held with SQLite's exclusive locking mode for
the whole run, and a second process is refused with a message naming the file. The lock is the
operating system's, so it goes with the process however that ends. Write-ahead logging makes every
commit survive the process being killed.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path
from typing import Any

from .._errors import InputError
from ..drafts._draft import DRAFT_TYPES, Draft
from ..drafts._values import STEPS, Step
from ..situation._files import load_json, validated
from ..situation._situation import Situation

__all__ = ["SCHEMA_VERSION", "Journal", "fingerprint"]

SCHEMA_VERSION = 1
_COLUMNS = frozenset({"key", "step", "fingerprint", "draft", "finished_at"})

_TABLES = """
CREATE TABLE IF NOT EXISTS steps (
    key TEXT NOT NULL,
    step TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    draft TEXT NOT NULL,
    finished_at REAL NOT NULL,
    PRIMARY KEY (key, step)
) WITHOUT ROWID
"""


def fingerprint(situation: Situation) -> str:
    """A short digest of everything in the situation, to tell a changed situation from the one journaled."""
    return hashlib.sha256(situation.model_dump_json().encode()).hexdigest()[:32]


class Journal:
    """One cohort's finished steps in a SQLite file; opening it takes the file for this process alone."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise InputError(f"journal {self.path} is a folder; name a file, e.g. cohort.db", field="journal")
        try:
            self._db = sqlite3.connect(self.path, timeout=0, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as e:
            raise InputError(f"journal {self.path}: cannot open it: {e}", field="journal") from e
        try:
            self._take()
        except BaseException:
            self._db.close()
            raise

    def _take(self) -> None:
        db = self._db
        try:
            db.execute("PRAGMA locking_mode=EXCLUSIVE")  # held until close: a second process is refused
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # with WAL: every commit survives the process being killed
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            if "locked" in str(e) or "busy" in str(e):
                raise InputError(
                    f"journal {self.path} is in use by another lemonade cohort; wait for it to finish, "
                    "or give this one its own journal",
                    field="journal",
                ) from e
            raise InputError(f"journal {self.path}: {e}", field="journal") from e
        except sqlite3.DatabaseError as e:
            raise InputError(f"journal {self.path} is not a lemonade journal (not SQLite: {e})", field="journal") from e
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if version > SCHEMA_VERSION:
                raise InputError(
                    f"journal {self.path} was written by a newer lemonade (schema {version}); this one reads "
                    f"schema {SCHEMA_VERSION}: upgrade lemonade, or start a new journal",
                    field="journal",
                )
            if version == 0 and tables - {"steps"}:
                raise InputError(
                    f"journal {self.path} is another program's SQLite file (tables: {', '.join(sorted(tables))})",
                    field="journal",
                )
            columns = {row[1] for row in db.execute("PRAGMA table_info(steps)")}
            if "steps" in tables and not columns >= _COLUMNS:
                raise InputError(
                    f"journal {self.path} is not a lemonade journal: its steps table has no "
                    f"{', '.join(sorted(_COLUMNS - columns))} column",
                    field="journal",
                )
            db.execute(_TABLES)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def finished(self, key: str, situation_print: str) -> dict[Step, Draft[Any]]:
        """The drafts already journaled for ``key``, where the situation is the same one."""
        rows = self._db.execute(
            "SELECT step, draft FROM steps WHERE key = ? AND fingerprint = ?", (key, situation_print)
        ).fetchall()
        found: dict[Step, Draft[Any]] = {}
        for step, text in rows:
            draft = self._draft(key, step, text)
            if draft is not None:
                found[step] = draft
        return found

    def _draft(self, key: str, step: object, text: object) -> Draft[Any] | None:
        """The draft a row holds; None (the step is drafted again) where the row does not read as that step's."""
        if not isinstance(step, str) or step not in STEPS or not isinstance(text, str | bytes):
            return None
        where = f"journal {self.path}, key {key!r}, step {step}"
        try:
            data = load_json(text.decode("utf-8", "replace") if isinstance(text, bytes) else text, where)
            return validated(DRAFT_TYPES[step], data, path=where)
        except InputError:
            return None

    def record(self, key: str, step: Step, situation_print: str, draft: Draft[Any]) -> None:
        """Journal one finished step, committed before this returns."""
        self._db.execute(
            "INSERT OR REPLACE INTO steps (key, step, fingerprint, draft, finished_at) VALUES (?, ?, ?, ?, ?)",
            (key, step, situation_print, draft.model_dump_json(), time.time()),
        )

    def count(self) -> int:
        """How many steps are journaled."""
        return int(self._db.execute("SELECT count(*) FROM steps").fetchone()[0])

    def close(self) -> None:
        """Release the journal for other processes."""
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
