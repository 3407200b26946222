"""The reference benchmark as a script: the same run as ``comptoir bench`` (see
``comptoir.bench.reference``), for those who run the benchmarks folder.

Usage:
    python benchmarks/reference.py [--shop woocommerce|prestashop] [--latency-ms 50] [--scale 1]
                                   [--orders N] [--naive-sample 30] [--workdir DIR] [--json]
"""

from __future__ import annotations

import sys

from comptoir.cli import app

if __name__ == "__main__":
    app(["bench", *sys.argv[1:]], prog_name="benchmarks/reference.py")
