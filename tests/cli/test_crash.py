"""The top-level handler: an unexpected error is one line naming a log file that holds the traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from broken_profiles import BASE, SECRETS

BOOM = """
import importlib
import sys

def boom(*args, **kwargs):
    raise RuntimeError("boom: something nobody expected\\nsecond line of the message")

setattr(importlib.import_module("{module}"), "{name}", boom)
from comptoir.cli import main

sys.argv = ["comptoir", *sys.argv[1:]]
main()
"""


def crash(target: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``comptoir *args`` with the function ``target`` (``module.name``, which the command
    imports when it runs) raising an error nobody expected."""
    module, name = target.rsplit(".", 1)
    env = {**os.environ, **SECRETS, "XDG_STATE_HOME": str(cwd / "user-state")}
    return subprocess.run(
        [sys.executable, "-c", BOOM.format(module=module, name=name), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def logged(result: subprocess.CompletedProcess[str]) -> Path:
    assert result.returncode == 70, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    found = re.fullmatch(
        r"Unexpected error, please report it: RuntimeError: boom: something nobody expected "
        r"\(details in (?P<path>.+\.log)\)",
        lines[0],
    )
    assert found, lines[0]
    path = Path(found["path"])
    text = path.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: boom: something nobody expected\nsecond line of the message" in text
    return path


def test_after_loading_a_profile_the_log_goes_to_its_data_folder(tmp_path: Path) -> None:
    profile = tmp_path / "boutique.toml"
    profile.write_text('data_dir = "data"\n' + BASE, encoding="utf-8")
    result = crash(
        "comptoir.profile.secret_resolver", ["profile", "check", "--profile", str(profile)], tmp_path
    )
    path = logged(result)
    assert path.parent == tmp_path / "data" / "logs"
    assert "command: comptoir profile check --profile" in path.read_text(encoding="utf-8")


def test_without_a_profile_the_log_goes_to_the_user_log_folder(tmp_path: Path) -> None:
    result = crash("comptoir.profile.reference.configuration_reference", ["profile", "doc"], tmp_path)
    path = logged(result)
    if sys.platform.startswith("linux"):
        assert path.parent == tmp_path / "user-state" / "comptoir" / "log"
    assert not (tmp_path / "logs").exists()
