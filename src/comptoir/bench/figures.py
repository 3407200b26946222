"""What the reference benchmark measured: per step, as a table for people or JSON for machines."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class StepFigures:
    """One step: the CLI command's wall time and what it did, against its floor.

    ``floor`` = ``requests × latency ÷ concurrency + erp_read``: what the step would cost with
    nothing but waiting for the shop (at the profile's concurrency) and reading the ERP.

    ``shop_floor`` counts the sandbox's own time too: it serves one request at a time (one Python
    process), so the shop's part of a step lasts at least its CPU for it. It is ``erp_read`` plus
    the larger of the HTTP part and ``shop_cpu``: what the step would cost with this sandbox, on
    this machine, and nothing of comptoir's but waiting.
    """

    name: str
    command: str
    seconds: float
    requests: int
    objects: int
    """Items the run handled (created, updated, unchanged or failed)."""
    written: int
    """Items created or updated."""
    peak_memory_mb: float
    """Peak resident memory of the command's process."""
    erp_read_seconds: float
    floor_seconds: float
    counts: dict[str, int]
    exit_code: int
    cpu_seconds: float = 0.0
    """CPU time of the command's process: comptoir's own work, start-up included (the rest of
    its time it waits for the shop and the ERP)."""
    shop_cpu_seconds: float = 0.0
    """CPU time the benchmark's process spent meanwhile, nearly all of it the sandbox shop
    answering (decoding, storing, encoding): work a real shop does in its answer time."""
    naive_seconds: float | None = None
    """A one-request-per-item client's time for the same step, extrapolated from a sample."""
    naive_sample: int = 0

    @property
    def objects_per_second(self) -> float:
        return self.objects / self.seconds if self.seconds > 0 else 0.0

    @property
    def ratio_to_floor(self) -> float | None:
        return self.seconds / self.floor_seconds if self.floor_seconds > 0 else None

    @property
    def shop_floor_seconds(self) -> float:
        http = max(self.floor_seconds - self.erp_read_seconds, 0.0)
        return self.erp_read_seconds + max(http, self.shop_cpu_seconds)

    @property
    def ratio_to_shop_floor(self) -> float | None:
        floor = self.shop_floor_seconds
        return self.seconds / floor if floor > 0 else None

    @property
    def speedup(self) -> float | None:
        return self.naive_seconds / self.seconds if self.naive_seconds and self.seconds > 0 else None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["objects_per_second"] = round(self.objects_per_second, 1)
        ratio, speedup = self.ratio_to_floor, self.speedup
        data["ratio_to_floor"] = round(ratio, 2) if ratio is not None else None
        data["shop_floor_seconds"] = round(self.shop_floor_seconds, 4)
        shop_ratio = self.ratio_to_shop_floor
        data["ratio_to_shop_floor"] = round(shop_ratio, 2) if shop_ratio is not None else None
        data["speedup_vs_naive"] = round(speedup, 1) if speedup is not None else None
        for key in (
            "seconds",
            "erp_read_seconds",
            "floor_seconds",
            "naive_seconds",
            "peak_memory_mb",
            "cpu_seconds",
            "shop_cpu_seconds",
        ):
            if data[key] is not None:
                data[key] = round(data[key], 4)
        return data


@dataclass
class BenchReport:
    """The whole run: the setting, the company and shop, each step."""

    shop: str
    latency_ms: int
    concurrency: int
    scale: float
    company: dict[str, int]
    steps: list[StepFigures] = field(default_factory=list)
    setup_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def step(self, name: str) -> StepFigures:
        return next(s for s in self.steps if s.name == name)

    def as_json(self) -> dict[str, Any]:
        return {
            "shop": self.shop,
            "latency_ms": self.latency_ms,
            "concurrency": self.concurrency,
            "scale": self.scale,
            "company": dict(self.company),
            "setup_seconds": round(self.setup_seconds, 1),
            "steps": [s.as_json() for s in self.steps],
            "notes": list(self.notes),
        }

    def rows(self) -> list[list[str]]:
        """The table people read: one row per step."""
        rows = []
        for s in self.steps:
            ratio, speedup = s.ratio_to_floor, s.speedup
            rows.append(
                [
                    s.name,
                    f"{s.seconds:.2f}",
                    f"{s.cpu_seconds:.2f}",
                    f"{s.shop_cpu_seconds:.2f}",
                    str(s.requests),
                    str(s.objects),
                    f"{s.objects_per_second:,.0f}",
                    f"{s.peak_memory_mb:.0f}",
                    f"{s.floor_seconds:.2f}",
                    f"{ratio:.1f}" if ratio is not None else "",
                    f"{shop_ratio:.1f}" if (shop_ratio := s.ratio_to_shop_floor) is not None else "",
                    f"{s.naive_seconds:,.0f} ({speedup:,.0f}×)" if s.naive_seconds and speedup else "",
                ]
            )
        return rows


COLUMNS = [
    "step",
    "s",
    "CPU s",
    "shop CPU s",
    "requests",
    "objects",
    "objects/s",
    "peak MB",
    "floor s",
    "÷ floor",
    "÷ with shop",
    "naive s",
]
