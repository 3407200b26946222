"""Export customers: the job's own logic, on the in-memory fakes.

The same job against the WooCommerce sandbox and the Sage demo company is in
test_customers_and_orders.py.
"""

from __future__ import annotations

from dataclasses import replace

from comptoir.jobs.runner import JobName, RunStatus
from comptoir.model import Address
from fakes import FakeWorld

EXPORTED = {"C0001": "anne.martin@exemple.fr", "C0002": "contact@epicerie-bernard.fr"}
"""Customers with a valid e-mail, not dormant: C0003 is dormant, C0004 and WEBINVITE have none."""


async def test_customers_are_created_once_with_their_facts_then_only_changes_are_sent(
    world: FakeWorld,
) -> None:
    result, lines = await world.run(JobName.EXPORT_CUSTOMERS)
    assert result.status is RunStatus.OK, lines
    assert (result.counts.created, result.counts.skipped) == (2, 3)
    assert {c.email for c in world.shop.customers.values()} == set(EXPORTED.values())
    bernard = world.shop.customer("contact@epicerie-bernard.fr")
    assert bernard is not None
    assert bernard.data["group"] == "Revendeurs", "the ERP price category's name"
    assert (bernard.data["vat_number"], bernard.data["siret"]) == ("FR40123456789", "12345678900012")
    assert bernard.data["billing"].company == "Épicerie Bernard SARL"
    bound = {k: p.shop_id for k, p in world.state.bindings("fake", "customer").items()}
    assert bound == {"C0001": world.shop.customer("anne.martin@exemple.fr").shop_id, "C0002": bernard.shop_id}  # type: ignore[union-attr]

    writes = world.shop.writes
    again, _ = await world.run(JobName.EXPORT_CUSTOMERS)
    assert (again.counts.created, again.counts.updated, again.counts.unchanged) == (0, 0, 2)
    assert world.shop.writes == writes

    anne = world.erp.customers["C0001"]
    world.erp.customers["C0001"] = replace(
        anne,
        email="anne.nouvelle@exemple.fr",
        billing=replace(anne.billing, postcode="13001", city="Marseille"),
    )
    before = len(world.shop.sent)
    changed, lines = await world.run(JobName.EXPORT_CUSTOMERS)
    assert changed.counts.updated == 1, lines
    [update] = world.shop.sent[before:]
    assert update.key == "C0001" and "email" not in update.carried(), "the e-mail is the login"
    assert update.carried() >= {"billing", "shipping"}
    account = world.shop.customer("anne.martin@exemple.fr")
    assert account is not None and account.data["billing"].postcode == "13001"

    world.configure(customers={"update_email": True, "update_addresses": False})
    world.erp.customers["C0001"] = replace(
        world.erp.customers["C0001"], billing=Address(line1="ailleurs", postcode="75001", city="Paris")
    )
    before = len(world.shop.sent)
    email, lines = await world.run(JobName.EXPORT_CUSTOMERS)
    assert email.counts.updated == 2, "new fields to send: every customer is sent once with them"
    assert all(not s.carried() & {"billing", "shipping"} for s in world.shop.sent[before:])
    moved = world.shop.customer("anne.nouvelle@exemple.fr")
    assert moved is not None and moved.shop_id == account.shop_id
    assert moved.data["billing"].postcode == "13001", "addresses are not the update's to change now"


async def test_a_shop_account_with_the_same_email_is_adopted(world: FakeWorld) -> None:
    existing = world.shop.add_customer("Anne.Martin@Exemple.FR", "Anne", "Martin")
    result, lines = await world.run(JobName.EXPORT_CUSTOMERS)
    assert result.status is RunStatus.OK, lines
    assert (result.counts.created, result.counts.updated) == (1, 1)
    assert len(world.shop.customers) == 2
    assert "C0001" not in {s.key for s in world.shop.creates_of("customers")}
    assert world.state.bindings("fake", "customer")["C0001"].shop_id == existing
    account = world.shop.customers[existing]
    assert account.data["billing"].line1 == "3 place Bellecour"


async def test_two_erp_customers_with_one_email_the_second_is_skipped_and_named(world: FakeWorld) -> None:
    world.erp.customers["C0005"] = replace(
        world.erp.customers["C0001"], code="C0005", name="Anne Martin (bis)", email="ANNE.MARTIN@exemple.fr"
    )
    result, lines = await world.run(JobName.EXPORT_CUSTOMERS)
    assert result.status is RunStatus.OK, lines
    assert result.counts.created == 2
    assert any(
        "C0005 : ignoré - e-mail anne.martin@exemple.fr déjà utilisé par le client C0001" in line
        for line in lines
    ), lines
    assert sum(1 for c in world.shop.customers.values() if c.email == "anne.martin@exemple.fr") == 1
    assert "C0005" not in world.state.bindings("fake", "customer")


async def test_a_refused_customer_fails_alone_and_a_lost_answer_never_doubles_one(world: FakeWorld) -> None:
    world.shop.refuse("C0002", code="registration-error", message="address refused", field="billing")
    world.shop.lose_answers("customers", 1)
    result, lines = await world.run(JobName.EXPORT_CUSTOMERS)
    assert result.status is RunStatus.ITEMS_FAILED
    assert (result.counts.created, result.counts.failed) == (1, 1)
    assert any("C0002 : en échec - registration-error [billing]: address refused" in line for line in lines)
    assert [c.email for c in world.shop.customers.values()] == ["anne.martin@exemple.fr"]

    world.shop.clear()
    retry, lines = await world.run(JobName.EXPORT_CUSTOMERS)
    assert (retry.counts.created, retry.counts.unchanged, retry.counts.failed) == (1, 1, 0), lines
    assert len(world.shop.customers) == 2
