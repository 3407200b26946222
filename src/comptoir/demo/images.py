"""Small real PNG images for the demo company and the benchmarks (one colour per reference).

Written with ``zlib`` and ``struct`` as the PNG specification lays them out (signature, IHDR,
IDAT, IEND chunks with their CRCs): any image viewer and any shop opens them, no imaging library
is needed.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterable
from pathlib import Path

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(
    width: int, height: int, colour: tuple[int, int, int], *, stripe: int = 0, grain: bytes = b""
) -> bytes:
    """A ``width`` × ``height`` RGB PNG of ``colour``, with a lighter band every ``stripe`` rows;
    ``grain`` (random bytes) is added to the pixels, as a photo's noise (it barely compresses)."""
    rows = bytearray()
    light = tuple(min(255, c + 60) for c in colour)
    for y in range(height):
        pixel = bytes(light if stripe and (y // stripe) % 2 else colour)
        row = bytearray(pixel * width)
        if grain:
            start = (y * width * 3) % len(grain)
            for x in range(len(row)):
                row[x] = (row[x] + grain[(start + x) % len(grain)]) & 0xFF
        rows += b"\x00" + row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _chunk(b"IEND", b"")
    )


def colour_of(text: str) -> tuple[int, int, int]:
    """A stable colour for a reference."""
    digest = hashlib.sha256(text.encode()).digest()
    return digest[0], digest[1], digest[2]


def write_images(folder: Path, references: Iterable[str], *, size: int = 64, grain: bool = False) -> int:
    """One ``REF.png`` per reference in ``folder`` (made if missing); how many were written.
    ``grain`` gives each image its own noise, so it weighs what a small photo does."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for reference in references:
        noise = hashlib.shake_256(reference.encode()).digest(size * size * 3) if grain else b""
        (folder / f"{reference}.png").write_bytes(
            png(size, size, colour_of(reference), stripe=8, grain=noise)
        )
        count += 1
    return count
