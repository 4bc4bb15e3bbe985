"""The files that share kept results between processes: private to the server's user, and a
file someone else could have written is never unpickled."""

from __future__ import annotations

import os
import stat

from backstride.services.versions import kept_file, read_kept, write_kept

STAMP = (1, 2, "code")


def test_a_kept_value_is_read_back_only_with_its_own_key_and_stamp(tmp_path):
    path = kept_file(tmp_path / "kept" / "7", ("plan", 7))
    write_kept(path, ("plan", 7), STAMP, {"weeks": 6})
    assert read_kept(path, ("plan", 7), STAMP) == ({"weeks": 6},)
    assert read_kept(path, ("plan", 7), (1, 3, "code")) is None
    assert read_kept(path, ("plan", 8), STAMP) is None


def test_kept_files_and_their_folder_are_private(tmp_path):
    path = kept_file(tmp_path / "kept" / "7", "page")
    write_kept(path, "page", STAMP, b"<html>")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0


def test_a_kept_file_others_may_write_is_never_read(tmp_path):
    path = kept_file(tmp_path / "kept" / "7", "page")
    write_kept(path, "page", STAMP, b"<html>")
    os.chmod(path, 0o666)
    assert read_kept(path, "page", STAMP) is None
    os.chmod(path, 0o600)
    assert read_kept(path, "page", STAMP) == (b"<html>",)
