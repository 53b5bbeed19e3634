"""Files that hold customers' data or a service's secrets: readable by their owner only.

The database, the logs and the PID files are created 0600 in a folder created 0700, whatever
the umask says.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path, *, tighten: bool = True) -> Path:
    """Create the folder (and its parents) 0700; with `tighten`, make an existing one of ours
    0700 too.

    A shared folder (the sticky bit, as /tmp has) or another user's is left alone.
    """
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
        os.chmod(path, DIR_MODE)
        return path
    info = path.stat()
    if (
        tighten
        and info.st_uid == os.getuid()
        and not info.st_mode & stat.S_ISVTX
        and stat.S_IMODE(info.st_mode) & 0o077
    ):
        os.chmod(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create the file 0600 if it is missing, and make an existing one of ours 0600."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    try:
        if os.fstat(descriptor).st_uid == os.getuid():
            os.fchmod(descriptor, FILE_MODE)
    finally:
        os.close(descriptor)
    return path


def write_private(path: Path, text: str) -> None:
    """Replace a file's content; the file is 0600."""
    private_file(path)
    with path.open("w", encoding="utf-8") as handle:
        handle.write(text)
