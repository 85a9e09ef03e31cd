"""Files that hold personal data: readable and writable by their owner only.

The store's SQLite database and the notice channels' files (the JSONL feed of
every notice, the SMS and letter hand-over files) carry full identity numbers,
names and addresses. Each is created 0600, and every folder made for one 0700,
whatever the process umask (PIPL art. 51: technical security measures such as
access control for personal information). A file or folder that already exists
keeps its mode: an operator who widened it on purpose is not overruled.
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each 0700."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for path in reversed(missing):
        with suppress(FileExistsError):  # made meanwhile by another process: keep it
            path.mkdir(mode=FOLDER_MODE)
            os.chmod(path, FOLDER_MODE)  # mkdir's mode is filtered by the umask


def create_private(path: Path) -> None:
    """Create an empty file at ``path`` (0600, in 0700 folders when they are new) unless
    it exists. SQLite gives its WAL and shared-memory files the database's mode."""
    if path.exists():
        return
    private_folder(path.parent)
    with suppress(FileExistsError):  # created meanwhile by another process: keep it
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
        os.fchmod(fd, FILE_MODE)  # as for folders: not widened or narrowed by the umask
        os.close(fd)
