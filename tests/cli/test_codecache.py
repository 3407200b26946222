"""The code cache (``cli/codecache.py``): dataclasses' methods and typing's forward references are
the code Python compiles, read from the file of earlier runs; a bad file is ignored. Each check
runs in a process of its own (installing the cache changes ``dataclasses`` and ``typing`` for the
whole process)."""

from __future__ import annotations

import json
import marshal
import subprocess
import sys
from pathlib import Path
from typing import Any

SHAPES = r"""
import dataclasses, enum, json, sys, typing
from pathlib import Path
from typing import Any

if sys.argv[1] != "-":
    from comptoir.cli import codecache

    cache = codecache.install(Path(sys.argv[1]))
else:
    cache = None


def shape(code):
    # what a code object does: its bytecode, names, constants (nested code included), flags
    consts = [shape(c) if hasattr(c, "co_code") else repr(c) for c in code.co_consts]
    return [code.co_code.hex(), code.co_names, code.co_varnames, code.co_freevars, consts,
            code.co_flags, code.co_argcount, code.co_kwonlyargcount, code.co_filename,
            code.co_linetable.hex(), code.co_exceptiontable.hex()]


class Kind(enum.Enum):
    A = 1


@dataclasses.dataclass(frozen=True, slots=True)
class Frozen:
    name: str
    kind: Kind = Kind.A
    tags: tuple[str, ...] = ()


@dataclasses.dataclass(order=True)
class Plain:
    number: int
    items: list[int] = dataclasses.field(default_factory=list)
    note: "str | None" = None


@dataclasses.dataclass(kw_only=True, eq=False)
class Keywords:
    first: int
    second: str = "x"


methods = {}
for cls in (Frozen, Plain, Keywords):
    for name, value in sorted(vars(cls).items()):
        if callable(value) and hasattr(value, "__code__") and value.__code__.co_filename == "<string>":
            methods[f"{cls.__name__}.{name}"] = shape(value.__code__)
references = {text: shape(typing.ForwardRef(text).__forward_code__) for text in ("int | None", "list[Plain]")}
try:
    typing.ForwardRef("1 +")
    refused = ""
except SyntaxError as exc:
    refused = str(exc)
frozen = Frozen("a", tags=("t",))
try:
    frozen.name = "b"
    assignment = "allowed"
except dataclasses.FrozenInstanceError:
    assignment = "refused"
behaviour = [repr(frozen), hash(frozen) == hash(Frozen("a", tags=("t",))), frozen == Frozen("a", tags=("t",)),
             assignment, Plain(1) < Plain(2), repr(Keywords(first=1)), Keywords(first=1) == Keywords(first=1)]
print(json.dumps({"methods": methods, "references": references, "refused": refused,
                  "behaviour": behaviour, "added": None if cache is None else cache.added}))
"""


def shapes(cache: str) -> dict[str, Any]:
    """The generated methods and forward references of a few classes, made in a new process with
    the cache file ``cache`` (``-``: Python's own compilation, no cache)."""
    completed = subprocess.run(
        [sys.executable, "-c", SHAPES, cache], capture_output=True, text=True, check=False, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    found: dict[str, Any] = json.loads(completed.stdout)
    return found


def test_the_cached_code_is_the_code_python_compiles(tmp_path: Path) -> None:
    cache = tmp_path / "code.marshal"
    python = shapes("-")
    first = shapes(str(cache))  # compiles every text and writes the file at exit
    assert cache.exists()
    second = shapes(str(cache))  # compiles nothing: every text is in the file
    assert first["added"] and second["added"] == 0
    assert len(python["methods"]) >= 12
    for run in (first, second):
        assert run["methods"] == python["methods"]
        assert run["references"] == python["references"]
        assert run["behaviour"] == python["behaviour"]
        # a text that does not compile is refused as Python refuses it
        assert run["refused"] == python["refused"] == "Forward reference must be an expression -- got '1 +'"


def test_a_bad_cache_file_is_ignored_and_written_again(tmp_path: Path) -> None:
    python = shapes("-")
    cache = tmp_path / "code.marshal"
    for content in (b"not marshal data", marshal.dumps({("exec", "x = 1"): "not code"}), marshal.dumps([1])):
        cache.write_bytes(content)
        run = shapes(str(cache))
        assert run["added"]  # nothing was taken from the file
        assert run["methods"] == python["methods"]
        assert shapes(str(cache))["added"] == 0  # the file was written again, whole


def test_a_cache_that_cannot_be_written_changes_nothing(tmp_path: Path) -> None:
    python = shapes("-")
    blocker = tmp_path / "a file"
    blocker.write_text("", encoding="utf-8")
    run = shapes(str(blocker / "code.marshal"))  # its folder cannot be made
    assert run["methods"] == python["methods"]
    assert run["behaviour"] == python["behaviour"]
    assert not (blocker / "code.marshal").exists()
