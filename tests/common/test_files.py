"""Files with customers' data or secrets are their owner's alone."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from okla.common.files import private_dir, private_file, write_private


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_folders_and_files_are_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o002)
    try:
        folder = private_dir(tmp_path / "a" / "run")
        log = private_file(folder / "chat.log")
        write_private(folder / "chat.pid", "{}")
    finally:
        os.umask(old)
    assert mode(folder) == 0o700
    assert mode(log) == 0o600
    assert mode(folder / "chat.pid") == 0o600
    assert (folder / "chat.pid").read_text() == "{}"


def test_existing_ones_are_tightened_unless_shared(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    (folder / "old.log").write_text("x")
    os.chmod(folder / "old.log", 0o644)
    private_dir(folder)
    private_file(folder / "old.log")
    assert mode(folder) == 0o700 and mode(folder / "old.log") == 0o600
    assert (folder / "old.log").read_text() == "x"
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)  # like /tmp
    private_dir(shared)
    assert mode(shared) == 0o1777
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    os.chmod(theirs, 0o755)
    private_dir(theirs, tighten=False)
    assert mode(theirs) == 0o755
