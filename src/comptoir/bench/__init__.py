"""The reference benchmark (``comptoir bench``, ``benchmarks/reference.py``): the reference company
(SPEC §11), the sandbox shop of a chosen platform answering with a fixed latency, and each step
users wait for measured through the real command line, against its floor and a naive client.

- ``company``: the reference company at a scale, aged as a company in use, 1 % of its stock moved;
- ``process``: one CLI command in its own process: wall time and peak memory;
- ``reads``: the ERP reads each step makes, timed alone (the floor's ERP part);
- ``naive``: a one-request-per-item client, timed on a sample;
- ``figures``: what each step measured, as a table or JSON;
- ``reference``: the whole run.
"""
