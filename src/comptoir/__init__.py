"""comptoir: an open connector between a French commercial-management ERP and e-commerce shops."""

import sys

__version__ = "0.1.0"

if "httpx" not in sys.modules:
    # httpx imports its own command-line client (click, Rich's progress and syntax colouring,
    # every Pygments lexer name) whenever those libraries are installed, which they are here
    # (uvicorn needs click, Rich brings Pygments): about a tenth of a second of every job's
    # start-up, for a client comptoir never runs (encode/httpx#3547). A module set to None is one
    # that cannot be imported, so httpx falls back to its stub and loads none of that.
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
