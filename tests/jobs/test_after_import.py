"""After the import, end to end on the sandbox shop and the demo company: statuses told to the
shop as the ERP document moves on (quote → order → delivery note → invoice), invoices attached
as Factur-X PDFs, refunds written as credit notes — each exactly once, even when a real
``comptoir`` process is killed between its steps."""

from __future__ import annotations

import json
import signal
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from job_harness import Harness
from sqlalchemy import create_engine, text

from comptoir.erp.sage100 import Sage100Erp
from comptoir.erp.sage100.simulate import transform_document
from comptoir.jobs.crash import VARIABLE as FAULT
from comptoir.jobs.invoices import CLAIM_TTL as INVOICE_TTL
from comptoir.jobs.order_statuses import CLAIM_TTL as STATUS_TTL
from comptoir.jobs.refunds import CLAIM_TTL as REFUND_TTL
from comptoir.jobs.runner import JobName, RunStatus
from comptoir.model import DocumentType
from comptoir.profile.secrets import write_secrets_file
from comptoir.sandbox.woocommerce.demo_shop import WEB_CUSTOMER_EMAIL
from comptoir.state import DEFAULT_TTL, StateStore, utcnow
from facturx_checks import embedded_xml, schematron_errors

D = Decimal
STATUSES = {"order": "processing", "delivery_note": "completed", "invoice": "completed"}


def query(harness: Harness, sql: str, **params: object) -> list[dict[str, Any]]:
    engine = create_engine(harness.company_url)
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(text(sql), params).mappings()]
    engine.dispose()
    return rows


def documents_of(harness: Harness, shop_id: str) -> list[dict[str, Any]]:
    return query(harness, 'SELECT * FROM "F_DOCENTETE" WHERE "DO_NoWeb" = :o ORDER BY "DO_Type"', o=shop_id)


def later(delta: timedelta) -> Any:
    """The state store's clock, ``delta`` ahead: past a killed run's claims and run lock."""
    return lambda: utcnow() + delta


def notes(harness: Harness, shop_id: str, *, customer: bool | None = None) -> list[str]:
    found = harness.client.get(f"orders/{shop_id}/notes", type="any")
    return [n["note"] for n in found if customer is None or n["customer_note"] == customer]


def meta(harness: Harness, shop_id: str) -> dict[str, Any]:
    return {m["key"]: m["value"] for m in harness.client.get(f"orders/{shop_id}")["meta_data"]}


async def ready(harness: Harness, **profile: Any) -> list[str]:
    harness.write_profile(statuses={"map": STATUSES}, **profile)
    for job in (JobName.EXPORT_PRODUCTS, JobName.EXPORT_CUSTOMERS):
        result, lines = await harness.run(job)
        assert result.status is RunStatus.OK, lines
    products = [p for p in harness.shop_all("products") if p["type"] == "simple" and p["sku"]]
    return sorted(p["sku"] for p in products if D(p["price"] or "0") > 0)[:6]


def place(harness: Harness, skus: list[str], quantity: int = 1) -> str:
    [customer] = harness.client.get("customers", email=WEB_CUSTOMER_EMAIL, role="all")
    items = []
    for sku in skus:
        [product] = harness.client.get("products", sku=sku)
        items.append({"product_id": product["id"], "quantity": quantity})
    order = harness.client.post(
        "orders",
        {
            "customer_id": customer["id"],
            "billing": {**customer["billing"], "email": WEB_CUSTOMER_EMAIL},
            "line_items": items,
            "payment_method": "cheque",
            "payment_method_title": "Chèque",
            "set_paid": True,
            "status": "processing",
        },
    )
    return str(order["id"])


async def imported(harness: Harness, skus: list[str], count: int = 1) -> list[str]:
    ids = [place(harness, skus[n : n + 2]) for n in range(count)]
    result, lines = await harness.run(JobName.IMPORT_ORDERS)
    assert result.counts.created == count, lines
    return ids


def transform(harness: Harness, shop_id: str, target: DocumentType) -> str:
    """What a Sage user does: turn the order's document into ``target``."""
    [document] = [d for d in documents_of(harness, shop_id) if d["DO_Provenance"] != 2]
    source = {1: DocumentType.ORDER, 3: DocumentType.DELIVERY_NOTE}[document["DO_Type"]]
    erp = Sage100Erp(harness.company_url)
    try:
        return transform_document(erp, document["DO_Piece"].strip(), source, target)
    finally:
        erp.close()


def enable_invoices(harness: Harness) -> None:
    login, password = harness.server.create_app_password()
    write_secrets_file(harness.workdir / "secrets.env", {"DEMO_WP_PASSWORD": password})
    harness.write_profile(
        statuses={"map": STATUSES},
        shop={**harness.profile.shop.model_dump(mode="json", exclude={"http"}), **_wp(login)},
        invoices={"legal_form": "SAS au capital de 50 000 €", "registry": "RCS Avignon 812 345 678"},
    )


def _wp(login: str) -> dict[str, str]:
    return {"wp_user": login, "wp_application_password": "env:DEMO_WP_PASSWORD"}


# --- statuses -----------------------------------------------------------------------------------


async def test_statuses_follow_the_erp_document_once_per_stage(harness: Harness) -> None:
    skus = await ready(harness)
    first, second = await imported(harness, skus, 2)

    result, lines = await harness.run(JobName.UPDATE_ORDER_STATUSES)
    assert result.status is RunStatus.OK and result.counts.updated == 2, lines
    number = documents_of(harness, first)[0]["DO_Piece"].strip()
    assert meta(harness, first)["_comptoir_document"] == number
    assert notes(harness, first, customer=False).count(f"Gestion commerciale : bon de commande {number}") == 1

    again, lines = await harness.run(JobName.UPDATE_ORDER_STATUSES)
    assert (again.counts.updated, again.counts.failed) == (0, 0), lines

    delivery = transform(harness, first, DocumentType.DELIVERY_NOTE)
    _, lines = await harness.run(JobName.UPDATE_ORDER_STATUSES, dry_run=True)
    assert any(f"#{first} : serait mis à jour" in line and delivery in line for line in lines), lines
    assert harness.client.get(f"orders/{first}")["status"] == "processing", "a dry run writes nothing"

    moved, lines = await harness.run(JobName.UPDATE_ORDER_STATUSES)
    assert moved.counts.updated == 1, lines
    [line] = [line for line in lines if f"#{first} :" in line]
    assert f"pièce {delivery} (bon de livraison) : statut completed" in line
    order = harness.client.get(f"orders/{first}")
    assert order["status"] == "completed"
    assert meta(harness, first)["_comptoir_document"] == delivery
    assert (
        notes(harness, first, customer=False).count(f"Gestion commerciale : bon de livraison {delivery}") == 1
    )
    assert harness.client.get(f"orders/{second}")["status"] == "processing"


@pytest.mark.parametrize("step", ["status-claim", "status-sent"])
async def test_a_killed_status_run_leaves_one_note_per_stage(harness: Harness, step: str) -> None:
    skus = await ready(harness)
    [order] = await imported(harness, skus)
    number = documents_of(harness, order)[0]["DO_Piece"].strip()
    note = f"Gestion commerciale : bon de commande {number}"
    killed = harness.command("update-order-statuses", env={FAULT: f"kill-after:{step}"})
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert notes(harness, order).count(note) == (1 if step == "status-sent" else 0)

    held = harness.command("update-order-statuses")
    assert held.returncode == 3, held.stdout + held.stderr  # the killed run's lock is alive

    result, lines = await harness.run(
        JobName.UPDATE_ORDER_STATUSES, clock=later(max(STATUS_TTL, DEFAULT_TTL) + timedelta(minutes=1))
    )
    assert result.status is RunStatus.OK and result.counts.updated == 1, lines
    assert notes(harness, order).count(note) == 1
    store = StateStore.open(harness.profile.state_url())
    try:
        [row] = store.tasks.rows("demo", "update_order_statuses").values()
        assert (row.state, row.attempts) == ("done", 2)
    finally:
        store.close()


async def test_an_order_changed_in_the_shop_after_its_import_is_named_once(harness: Harness) -> None:
    skus = await ready(harness)
    [order] = await imported(harness, skus)
    number = documents_of(harness, order)[0]["DO_Piece"].strip()
    _, lines = await harness.run(JobName.UPDATE_ORDER_STATUSES)
    assert not any("modifiée dans la boutique" in line for line in lines), lines
    [product] = harness.client.get("products", sku=skus[2])
    harness.client.post(f"orders/{order}", {"line_items": [{"product_id": product["id"], "quantity": 2}]})

    _, lines = await harness.run(JobName.UPDATE_ORDER_STATUSES)
    [warning] = [line for line in lines if "modifiée dans la boutique" in line]
    assert f"(pièce {number})" in warning and f"lignes +{skus[2]} (2×" in warning and "total " in warning
    _, lines = await harness.run(JobName.UPDATE_ORDER_STATUSES)
    assert not any("modifiée dans la boutique" in line for line in lines), "reported once"


# --- invoices -----------------------------------------------------------------------------------


def attached_pdf(harness: Harness, url: str) -> bytes:
    response = httpx.get(url, verify=str(harness.sandbox.ca_file))
    assert response.status_code == 200
    return response.content


async def test_an_invoice_reaches_the_customer_once_as_factur_x(harness: Harness) -> None:
    skus = await ready(harness)
    enable_invoices(harness)
    first, second = await imported(harness, skus, 2)
    nothing, lines = await harness.run(JobName.SEND_INVOICES)
    assert (nothing.status, nothing.counts.created) == (RunStatus.OK, 0), lines

    invoice = transform(harness, first, DocumentType.INVOICE)
    result, lines = await harness.run(JobName.SEND_INVOICES)
    assert result.counts.created == 1, lines
    [listed] = json.loads(meta(harness, first)["_comptoir_invoices"])
    assert listed["number"] == invoice
    [customer_note] = notes(harness, first, customer=True)
    assert customer_note.startswith(f"Facture {invoice} du ") and listed["url"] in customer_note
    pdf = attached_pdf(harness, listed["url"])
    xml = embedded_xml(pdf)
    assert schematron_errors(xml) == []
    total = D(
        query(harness, 'SELECT "DO_TotalTTC" FROM "F_DOCENTETE" WHERE "DO_Piece" = :p', p=invoice)[0][
            "DO_TotalTTC"
        ]
    )
    assert f"<ram:GrandTotalAmount>{total:.2f}</ram:GrandTotalAmount>".encode() in xml
    assert listed["total"] == f"{total:.2f}"

    again, lines = await harness.run(JobName.SEND_INVOICES)
    assert again.counts.created == 0, lines
    assert len(notes(harness, first, customer=True)) == 1
    assert notes(harness, second, customer=True) == []


async def test_two_invoices_of_one_order_both_reach_it(harness: Harness) -> None:
    """A back-order: Sage invoices what was delivered, then the rest, both carrying the order id."""
    skus = await ready(harness)
    enable_invoices(harness)
    [order] = await imported(harness, skus)
    invoice = transform(harness, order, DocumentType.INVOICE)
    second = _copy_invoice(harness, invoice)
    result, lines = await harness.run(JobName.SEND_INVOICES)
    assert result.counts.created == 2, lines
    listed = json.loads(meta(harness, order)["_comptoir_invoices"])
    assert sorted(i["number"] for i in listed) == sorted([invoice, second])
    assert len(notes(harness, order, customer=True)) == 2


def _copy_invoice(harness: Harness, number: str) -> str:
    """A second invoice of the same order (what invoicing a remainder gives in Sage)."""
    engine = create_engine(harness.company_url)
    new = "FA99001"
    with engine.begin() as conn:
        for table, key in (("F_DOCENTETE", "cbMarq"), ("F_DOCLIGNE", "cbMarq")):
            rows = [
                dict(r)
                for r in conn.execute(
                    text(f'SELECT * FROM "{table}" WHERE "DO_Piece" = :p'), {"p": number}
                ).mappings()
            ]
            for row in rows:
                row.pop(key, None)
                row["DO_Piece"] = new
                if table == "F_DOCLIGNE":
                    row["DL_No"] = int(row["DL_No"]) + 100000
                columns = ", ".join(f'"{c}"' for c in row)
                values = ", ".join(f":{c}" for c in row)
                conn.execute(text(f'INSERT INTO "{table}" ({columns}) VALUES ({values})'), row)
    engine.dispose()
    return new


@pytest.mark.parametrize("step", ["invoice-claim", "invoice-sent"])
async def test_a_killed_invoice_run_attaches_it_once(harness: Harness, step: str) -> None:
    skus = await ready(harness)
    enable_invoices(harness)
    [order] = await imported(harness, skus)
    transform(harness, order, DocumentType.INVOICE)
    killed = harness.command("send-invoices", env={FAULT: f"kill-after:{step}"})
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    result, lines = await harness.run(
        JobName.SEND_INVOICES, clock=later(max(INVOICE_TTL, DEFAULT_TTL) + timedelta(minutes=1))
    )
    assert result.status is RunStatus.OK and result.counts.created == 1, lines
    assert len(json.loads(meta(harness, order)["_comptoir_invoices"])) == 1
    assert len(notes(harness, order, customer=True)) == 1


# --- refunds ------------------------------------------------------------------------------------


def refund(harness: Harness, shop_id: str, body: dict[str, Any]) -> str:
    created = harness.client.post(f"orders/{shop_id}/refunds", {"api_refund": False, **body})
    return str(created["id"])


async def test_refunds_become_credit_notes_to_the_cent_once(harness: Harness) -> None:
    skus = await ready(harness)
    [order] = await imported(harness, skus)
    invoice = transform(harness, order, DocumentType.INVOICE)
    shop_order = harness.client.get(f"orders/{order}")
    item = shop_order["line_items"][0]
    taxes = [{"id": t["id"], "refund_total": t["total"]} for t in item["taxes"]]
    one_line = refund(
        harness,
        order,
        {
            "line_items": [
                {
                    "id": item["id"],
                    "quantity": item["quantity"],
                    "refund_total": item["total"],
                    "refund_tax": taxes,
                }
            ],
            "reason": "Cassé",
        },
    )
    amount_only = refund(harness, order, {"amount": "5.00", "reason": "Geste commercial"})

    result, lines = await harness.run(JobName.IMPORT_REFUNDS)
    assert result.status is RunStatus.OK and result.counts.created == 2, lines
    credits = {
        d["DO_NoWeb"].strip(): d
        for d in query(harness, 'SELECT * FROM "F_DOCENTETE" WHERE "DO_Provenance" = 2')
    }
    assert set(credits) == {f"R{one_line}", f"R{amount_only}"}
    line_gross = D(item["total"]) + D(item["total_tax"])
    assert D(str(credits[f"R{one_line}"]["DO_TotalTTC"])) == line_gross
    assert D(str(credits[f"R{amount_only}"]["DO_TotalTTC"])) == D("5.00")
    assert {c["DO_PieceOrig"].strip() for c in credits.values()} == {invoice}
    assert {c["DO_Tiers"].strip() for c in credits.values()} == {
        documents_of(harness, order)[0]["DO_Tiers"].strip()
    }
    lines_of = query(
        harness,
        'SELECT "AR_Ref", "DL_MontantTTC" FROM "F_DOCLIGNE" WHERE "DO_Piece" = :p',
        p=credits[f"R{one_line}"]["DO_Piece"],
    )
    assert [(r["AR_Ref"].strip(), D(str(r["DL_MontantTTC"]))) for r in lines_of] == [
        (item["sku"], line_gross)
    ]

    again, lines = await harness.run(JobName.IMPORT_REFUNDS, full=True)
    assert (again.counts.created, again.counts.unchanged) == (0, 2), lines


async def test_a_killed_refund_run_writes_one_credit_note(harness: Harness) -> None:
    skus = await ready(harness)
    [order] = await imported(harness, skus)
    made = refund(harness, order, {"amount": "3.10"})
    killed = harness.command("import-refunds", env={FAULT: "kill-after:refund-document"})
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert len(documents_of(harness, f"R{made}")) == 1
    result, lines = await harness.run(
        JobName.IMPORT_REFUNDS, clock=later(max(REFUND_TTL, DEFAULT_TTL) + timedelta(minutes=1))
    )
    assert result.status is RunStatus.OK, lines
    assert any("déjà présente dans la gestion commerciale" in line for line in lines), lines
    assert len(documents_of(harness, f"R{made}")) == 1


async def test_a_refund_of_an_order_never_imported_is_skipped(harness: Harness) -> None:
    skus = await ready(harness)
    order = place(harness, skus[:1])
    harness.client.post(f"orders/{order}", {"status": "cancelled"})
    made = refund(harness, order, {"amount": "1.00"})
    result, lines = await harness.run(JobName.IMPORT_REFUNDS)
    assert result.counts.skipped == 1, lines
    assert any(f"R{made} : ignoré - la commande #{order} n'a pas été importée" in line for line in lines), (
        lines
    )
    assert documents_of(harness, f"R{made}") == []
