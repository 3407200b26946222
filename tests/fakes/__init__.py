"""In-memory fakes of the ``Shop`` and ``Erp`` protocols, and a way to run jobs on them.

Job tests use these instead of a sandbox server and a demo company: a job runs through its
public entry (``jobs.runner.run_job``) with a real state store, and the test reads what the fakes
hold and were asked. The fakes follow the contracts the real adapters pass (tests/contract/):

- ``FakeShop`` writes through the shared batch writer (``comptoir.shop.batching``) like every
  shop adapter, so SKU and e-mail uniqueness, adoption of a duplicate create, a lost answer
  reconciled by natural key and one refused item failing alone behave as they do on a platform;
- ``FakeErp`` keeps one document per shop order (``DuplicateDocument``), records a payment once,
  refuses what the Sage adapter refuses (unknown customer, article, tax code…) with an
  ``ErpError`` naming the record.

``test_fakes.py`` checks they still implement the protocols as these grow.
"""

from fakes.erp import FakeErp, small_company
from fakes.jobs import FakeWorld
from fakes.shop import FakeShop, Sent, ShopProduct

__all__ = ["FakeErp", "FakeShop", "FakeWorld", "Sent", "ShopProduct", "small_company"]
