"""The jobs after the import and the order import's new rules, on the in-memory fakes: statuses
once per stage, invoices once each (Factur-X valid), refunds as credit notes to the cent,
customers matched by the ERP code the shop keeps and by the account's e-mail, accounting
categories by zone, payment differences. The same jobs against the WooCommerce sandbox and the
Sage demo company, with killed processes, are in test_after_import.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from comptoir.jobs.order_statuses import CLAIM_TTL, JOB, stage_key
from comptoir.jobs.runner import JobName, RunStatus
from comptoir.model import Address, DocumentType, LineKind, Refund, RefundLine, TaxRate
from facturx_checks import embedded_xml, schematron_errors
from fakes import FakeWorld

ANNE = "anne.martin@exemple.fr"
BERNARD = "contact@epicerie-bernard.fr"
D = Decimal
STATUSES = {"map": {"order": "processing", "delivery_note": "completed", "invoice": "completed"}}


async def ready(world: FakeWorld) -> None:
    world.configure(statuses=STATUSES)
    for job in (JobName.EXPORT_PRODUCTS, JobName.EXPORT_CUSTOMERS):
        result, lines = await world.run(job)
        assert result.status is RunStatus.OK, lines


async def imported(world: FakeWorld, *lines: tuple[str, int], email: str = ANNE) -> str:
    shop_id = world.shop.place_order(email, list(lines))
    result, journal = await world.run(JobName.IMPORT_ORDERS)
    assert result.counts.created == 1, journal
    return shop_id


def number_of(world: FakeWorld, shop_id: str) -> str:
    return world.erp.documents_of(shop_id)[0].ref.number


async def test_each_stage_is_told_once_and_a_retaken_update_is_not_noted_twice(world: FakeWorld) -> None:
    await ready(world)
    order = await imported(world, ("MIEL-LAV", 2))
    number = number_of(world, order)
    result, lines = await world.run(JobName.UPDATE_ORDER_STATUSES)
    assert result.counts.updated == 1, lines
    assert world.shop.notes[order] == [f"Gestion commerciale : bon de commande {number}"]
    assert world.shop.orders[order].meta["document"] == number

    delivery = world.erp.transform(number, DocumentType.DELIVERY_NOTE)
    # a run that was killed after telling the shop: its claim is left, the note is there
    progress = next(p for p in world.erp.read_document_progress([order]) if p.number == delivery)
    claim = world.state.tasks.claim(world.profile.name, JOB, stage_key(progress), CLAIM_TTL)
    assert claim is not None
    note = f"Gestion commerciale : bon de livraison {delivery}"
    world.shop.notes[order].append(note)  # what the killed run told the shop before it died
    held, lines = await world.run(JobName.UPDATE_ORDER_STATUSES)
    assert held.status is RunStatus.HELD, lines
    world.state_offset = CLAIM_TTL + timedelta(minutes=1)
    result, lines = await world.run(JobName.UPDATE_ORDER_STATUSES)
    assert result.counts.updated == 1, lines
    assert world.shop.notes[order] == [
        f"Gestion commerciale : bon de commande {number}",
        f"Gestion commerciale : bon de livraison {delivery}",
    ], "the retaken update found its note"
    assert world.shop.orders[order].status == "completed"
    again, lines = await world.run(JobName.UPDATE_ORDER_STATUSES)
    assert again.counts.updated == 0, lines


async def test_invoices_are_attached_once_and_are_valid_factur_x(world: FakeWorld) -> None:
    await ready(world)
    order = await imported(world, ("MIEL-LAV", 2), ("VIN-ROUGE", 3))
    invoice = world.erp.transform(number_of(world, order), DocumentType.INVOICE)
    result, lines = await world.run(JobName.SEND_INVOICES)
    assert result.counts.created == 1, lines
    attachment = world.shop.attachments[order][invoice]
    assert attachment.file_name == f"Facture-{invoice}.pdf"
    # hand-computed: 2 × 12.00 at 5.5 % (24.00 + 1.32) and 3 × 9.90 at 20 % (29.70 + 5.94)
    assert attachment.total == D("60.96")
    xml = embedded_xml(attachment.content)
    assert schematron_errors(xml) == []
    assert b"<ram:GrandTotalAmount>60.96</ram:GrandTotalAmount>" in xml
    again, lines = await world.run(JobName.SEND_INVOICES)
    assert again.counts.created == 0, lines


async def test_an_invoice_without_the_seller_vat_number_fails_alone_by_name(world: FakeWorld) -> None:
    await ready(world)
    order = await imported(world, ("MIEL-LAV", 1))
    invoice = world.erp.transform(number_of(world, order), DocumentType.INVOICE)
    world.erp.company = replace(world.erp.company, vat_number="")
    result, lines = await world.run(JobName.SEND_INVOICES)
    assert result.status is RunStatus.ITEMS_FAILED, lines
    assert any(f"{invoice}: the seller has no VAT number" in line for line in lines), lines
    world.configure(statuses=STATUSES, invoices={"vat_number": "FR47812345678"})
    fixed, lines = await world.run(JobName.SEND_INVOICES)
    assert fixed.counts.created == 1, "tried again once the profile gives the number"


def refund(
    world: FakeWorld, order: str, refund_id: str, amount: str, *lines: RefundLine, **extra: object
) -> None:
    world.shop.refunds[refund_id] = Refund(
        refund_id,
        order,
        world.shop.clock(),
        D(amount),
        lines=tuple(lines),
        **extra,  # type: ignore[arg-type]
    )


async def test_refunds_become_credit_notes_to_the_cent(world: FakeWorld) -> None:
    await ready(world)
    order = await imported(world, ("MIEL-LAV", 2), ("VIN-ROUGE", 3))
    invoice = world.erp.transform(number_of(world, order), DocumentType.INVOICE)
    # one jar back: 12.00 + 0.66 of tax
    refund(world, order, "501", "12.66", RefundLine("1", "MIEL-LAV", "Miel", D(1), D("12.00"), D("0.66")))
    # 10.00 as a gesture: spread over the order's rates pro rata of 25.32 (5.5 %) and 35.64 (20 %)
    refund(world, order, "502", "10.00", reason="Geste commercial")
    result, lines = await world.run(JobName.IMPORT_REFUNDS)
    assert result.counts.created == 2, lines
    [first] = world.erp.documents_of("R501")
    [second] = world.erp.documents_of("R502")
    for credit in (first, second):
        assert credit.ref.type is DocumentType.CREDIT_NOTE
        assert credit.document.origin_number == invoice
        assert credit.document.customer_code == world.erp.documents_of(order)[0].ref.customer_code
    assert first.ref.total_gross == D("12.66")
    assert [(li.reference, li.quantity, li.unit_price, li.tax_code) for li in first.document.lines] == [
        ("MIEL-LAV", D(1), D("12.66"), "C05")
    ]
    assert second.ref.total_gross == D("10.00")
    # 10.00 × 25.32 / 60.96 = 4.1535… → 4.15; the rest, 5.85, at 20 %
    assert [(li.unit_price, li.tax_code) for li in second.document.lines] == [
        (D("4.15"), "C05"),
        (D("5.85"), "C20"),
    ]
    assert {li.reference for li in second.document.lines} == {"DIVERS"}
    again, lines = await world.run(JobName.IMPORT_REFUNDS, full=True)
    assert (again.counts.created, again.counts.unchanged) == (0, 2), lines


async def test_a_refund_waits_for_its_order_and_one_never_imported_is_skipped(world: FakeWorld) -> None:
    await ready(world)
    waiting = world.shop.place_order(ANNE, [("SAVON", 2)])
    never = world.shop.place_order(ANNE, [("SAVON", 1)], status="pending")
    world.state.claim_order(world.profile.name, waiting, timedelta(minutes=15))  # another run is importing it
    refund(world, waiting, "601", "1.00")
    refund(world, never, "602", "1.00")
    result, lines = await world.run(JobName.IMPORT_REFUNDS)
    assert result.status is RunStatus.HELD, lines
    assert any("R602 : ignoré" in line for line in lines), lines
    assert world.erp.documents_of("R601") == [] and world.erp.documents_of("R602") == []


async def test_the_erp_code_kept_by_the_shop_then_the_account_email_find_the_customer(
    world: FakeWorld,
) -> None:
    await ready(world)
    coded = world.shop.place_order("nouvelle.adresse@exemple.fr", [("SAVON", 1)])
    world.shop.orders[coded] = replace(world.shop.orders[coded], customer_erp_code="c0002")
    world.shop.add_customer("autre@exemple.fr", "Anne", "Martin")
    by_account = world.shop.place_order("autre@exemple.fr", [("SAVON", 1)])
    world.shop.orders[by_account] = replace(world.shop.orders[by_account], customer_email=ANNE.upper())
    newcomer = world.shop.add_customer("pro@exemple.fr", "Paul", "Pro")
    pro = world.shop.place_order("pro@exemple.fr", [("SAVON", 1)])
    world.shop.orders[pro] = replace(
        world.shop.orders[pro],
        vat_number="FR12345678901",
        siret="12345678900012",
        billing=replace(world.shop.orders[pro].billing, company="Pro SARL"),
    )
    world.erp.calls.clear()
    result, lines = await world.run(JobName.IMPORT_ORDERS)
    assert result.counts.created == 3, lines
    assert world.erp.documents_of(coded)[0].ref.customer_code == "C0002"
    assert world.erp.documents_of(by_account)[0].ref.customer_code == "C0001"
    created = world.erp.customers[f"WEB{newcomer:0>6}"]
    assert (created.vat_number, created.siret, created.name) == (
        "FR12345678901",
        "12345678900012",
        "Pro SARL",
    )
    assert world.erp.calls["find_customer_by_email"] == 0, "e-mails are looked up set-wise"
    assert world.erp.calls["find_customers_by_email"] == 1


async def test_accounting_category_by_zone_and_its_tax_codes(world: FakeWorld) -> None:
    await ready(world)
    world.erp.tax_rates["C00"] = TaxRate("C00", D(0), "Exonéré")
    world.configure(
        statuses=STATUSES,
        orders={
            "accounting": {
                "default_taxed": "1",
                "categories": {
                    "eu_vat": {"taxed": "2", "untaxed": "3", "tax_codes": {"0": "C00"}},
                    "export": {"untaxed": "4"},
                },
            }
        },
    )
    french = world.shop.place_order(ANNE, [("SAVON", 1)])
    belgian = world.shop.place_order(BERNARD, [("SAVON", 2)], prices={"SAVON": D("4.50")})
    order = world.shop.orders[belgian]
    untaxed = tuple(replace(li, tax=D(0), subtotal_tax=D(0), tax_rate=D(0)) for li in order.lines)
    world.shop.orders[belgian] = replace(
        order,
        lines=untaxed,
        total=D("9.00"),
        total_tax=D(0),
        vat_number="BE0123456749",
        shipping=Address(line1="Rue Neuve 1", postcode="1000", city="Bruxelles", country="BE"),
    )
    result, lines = await world.run(JobName.IMPORT_ORDERS)
    assert result.counts.created == 2, lines
    assert world.erp.documents_of(french)[0].document.accounting_category == "1"
    [document] = world.erp.documents_of(belgian)
    assert document.document.accounting_category == "3"
    assert [li.tax_code for li in document.document.lines] == ["C00"], "the tax codes follow the category"
    assert document.ref.total_gross == D("9.00")


async def test_a_small_payment_difference_becomes_a_difference_line(world: FakeWorld) -> None:
    await ready(world)
    world.erp.tax_rates["C00"] = TaxRate("C00", D(0), "Exonéré")
    world.configure(
        statuses=STATUSES,
        orders={
            "payment_difference_article": "DIVERS",
            "tax_codes": {"20": "C20", "10": "C10", "5.5": "C05", "0": "C00"},
        },
    )
    small = world.shop.place_order(ANNE, [("SAVON", 2)])
    large = world.shop.place_order(ANNE, [("SAVON", 1)])
    world.shop.orders[small] = replace(
        world.shop.orders[small], total=world.shop.orders[small].total + D("0.03")
    )
    world.shop.orders[large] = replace(
        world.shop.orders[large], total=world.shop.orders[large].total + D("0.50")
    )
    result, lines = await world.run(JobName.IMPORT_ORDERS)
    assert (result.counts.created, result.counts.failed) == (1, 1), lines
    [document] = world.erp.documents_of(small)
    assert document.ref.total_gross == D("10.83")  # 2 × 4.50 + 20 % = 10.80, paid 10.83
    difference = document.document.lines[-1]
    assert (difference.reference, difference.unit_price, difference.tax_code, difference.kind) == (
        "DIVERS",
        D("0.03"),
        "C00",
        LineKind.ROUNDING,
    )
    assert any("écart de règlement DIVERS de 0.03" in line for line in lines), lines
    assert world.erp.documents_of(large) == [], "beyond the tolerance: refused, named"
