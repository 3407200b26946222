"""Every message a user reads exists in French and English with the same fields, and the
refusals, causes and problems jobs build are said in the profile's language."""

from __future__ import annotations

import string
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from comptoir.jobs.order_document import OrderRejected, build_document
from comptoir.journal import Journal, MemorySink, Outcome
from comptoir.journal.messages import MESSAGES, Text, localized
from comptoir.model import Address, Article, Order, OrderLine
from comptoir.model.document import DocumentType
from comptoir.profile import OrderOptions, SecretError, SecretResolver

D = Decimal


def fields(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_each_message_has_both_languages_with_the_same_fields(key: str) -> None:
    entry = MESSAGES[key]
    assert set(entry) == {"fr", "en"} and all(entry.values())
    assert fields(entry["fr"]) == fields(entry["en"])


def order(sku: str, rate: str) -> Order:
    line = OrderLine("1", sku, sku, D(1), D("10"), D("10"), D("2"), D(rate))
    return Order(
        shop_id="187",
        number="187",
        status="processing",
        created_at=datetime(2026, 7, 11, 10, 0, tzinfo=UTC),
        modified_at=datetime(2026, 7, 11, 10, 0, tzinfo=UTC),
        currency="EUR",
        total=D("12"),
        total_tax=D("2"),
        billing=Address(first_name="Ana", last_name="Lima", line1="1 rue", postcode="84000", city="Avignon"),
        shipping=Address(),
        lines=(line,),
    )


def build(sku: str, rate: str) -> None:
    articles = {"PULL": Article(reference="PULL", designation="Pull", family_code="F", tax_code="C20")}
    options = OrderOptions(tax_codes={"20": "C20"})
    build_document(
        order(sku, rate),
        document_type=DocumentType.ORDER,
        customer_code="WEB000001",
        articles=articles,
        options=options,
        rates={"C20": D(20)},
    )


def test_a_refused_order_is_said_in_the_profiles_language() -> None:
    with pytest.raises(OrderRejected) as unknown:
        build("GIFT", "20")
    assert str(unknown.value) == "line 1 (GIFT): reference 'GIFT' unknown in the ERP"
    assert (
        localized(unknown.value, "fr")
        == "ligne 1 (GIFT) : référence 'GIFT' inconnue dans la gestion commerciale"
    )
    with pytest.raises(OrderRejected) as unmapped:
        build("PULL", "7")
    french = Journal("import_orders", "fr", [MemorySink()]).say(unmapped.value)
    assert french == (
        "ligne 1 (PULL) : taux de taxe 7 % sans code de taxe dans la gestion commerciale (orders.tax_codes)"
    )


def test_a_nested_message_follows_its_parent_language() -> None:
    cause = Text(
        "cause.tax_amounts",
        where=Text("where.shipping", label="Colissimo"),
        tax="1.00",
        net="4.00",
        rate="20",
        code=Text("cause.no_code"),
    )
    assert cause.startswith("tax amounts differ: shipping Colissimo carries 1.00")
    sink = MemorySink()
    journal = Journal("import_orders", "fr", [sink])
    journal.item(
        "#187",
        Outcome.FAILED,
        journal.t("order.total_difference", erp="13.00", shop="12.00", cause=cause),
    )
    assert sink.texts() == [
        "[1/1] #187 : en échec - écart de total : gestion commerciale 13.00 ≠ boutique 12.00 "
        "(montants de TVA différents : port Colissimo porte 1.00 de TVA sur 4.00, pas 20 % "
        "(le taux de la gestion commerciale pour aucun code ; orders.tax_codes))"
    ]


def test_a_missing_secret_is_named_in_either_language() -> None:
    with pytest.raises(SecretError) as missing:
        SecretResolver(environ={}).get("env:COMPTOIR_X", field="shop.consumer_key")
    assert str(missing.value) == "shop.consumer_key: the environment variable COMPTOIR_X is not set"
    assert localized(missing.value, "fr") == (
        "shop.consumer_key : la variable d'environnement COMPTOIR_X n'est pas définie"
    )
