"""Small pure pieces of the adapter: time zones, numbers, countries, limits, codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from comptoir.erp.base import ErpError
from comptoir.erp.sage100.clock import SageClock
from comptoir.erp.sage100.codes import SALES_KINDS, document_type
from comptoir.erp.sage100.countries import country_code, country_name
from comptoir.erp.sage100.numbering import increment
from comptoir.erp.sage100.read_prices import ref_target
from comptoir.erp.sage100.rows import blank_row, prepared, set_twins
from comptoir.erp.sage100.schema import F_DOCENTETE, F_DOCLIGNE
from comptoir.erp.sage100.types import EMPTY_DATE, plain_decimal
from comptoir.model import DocumentType


def test_paris_times_to_utc_across_daylight_saving() -> None:
    clock = SageClock()
    assert clock.to_utc(datetime(2026, 1, 15, 10, 0)) == datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
    assert clock.to_utc(datetime(2026, 7, 15, 10, 0)) == datetime(2026, 7, 15, 8, 0, tzinfo=UTC)
    assert clock.to_utc(EMPTY_DATE) is None and clock.to_utc(None) is None
    assert clock.to_local(datetime(2026, 7, 15, 8, 0, tzinfo=UTC)) == datetime(2026, 7, 15, 10, 0)
    eastern = timezone(timedelta(hours=-5))
    assert clock.to_local(datetime(2026, 1, 15, 4, 0, tzinfo=eastern)) == datetime(2026, 1, 15, 10, 0)


def test_modified_since_floors_to_the_minute() -> None:
    clock = SageClock("UTC")
    assert clock.since(datetime(2026, 1, 15, 9, 41, 59, 999, tzinfo=UTC)) == datetime(2026, 1, 15, 9, 41)


def test_other_company_time_zones() -> None:
    clock = SageClock("Indian/Reunion")
    assert clock.to_utc(datetime(2026, 1, 15, 10, 0)) == datetime(2026, 1, 15, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("number", "following"),
    [
        ("BC00001", "BC00002"),
        ("BC00009", "BC00010"),
        ("WBC0999", "WBC1000"),
        ("FA99", "FA100"),
        ("2026-7", "2026-8"),
    ],
)
def test_increment(number: str, following: str) -> None:
    assert increment(number) == following


def test_increment_needs_digits() -> None:
    with pytest.raises(ErpError, match="does not end with digits"):
        increment("BC")


def test_countries() -> None:
    assert country_name("FR") == "France" and country_name("be") == "Belgique"
    assert country_code("Belgique") == "BE" and country_code("ÉTATS-UNIS") == "US"
    assert (
        country_code("") == "FR" and country_code("CH") == "CH" and country_code("Atlantide") == "Atlantide"
    )
    assert country_name("XX") == "XX"


def test_prepared_rows_name_record_and_column() -> None:
    assert prepared(F_DOCENTETE, {"DO_Ref": "r" * 18}, "order 12") == {"DO_Ref": "r" * 17}
    with pytest.raises(ErpError, match=r"order 12: F_DOCENTETE\.DO_NoWeb holds 17 characters"):
        prepared(F_DOCENTETE, {"DO_NoWeb": "1" * 18}, "order 12")
    with pytest.raises(ErpError, match="keeps 6 decimals"):
        prepared(F_DOCENTETE, {"DO_TotalHT": Decimal("1.0000001")}, "order 12")
    with pytest.raises(ErpError, match="too large"):
        prepared(F_DOCENTETE, {"DO_TotalHT": Decimal("1e18")}, "order 12")
    assert prepared(F_DOCENTETE, {"DO_TotalHT": Decimal("1.5000000")}, "order 12")["DO_TotalHT"] == Decimal(
        "1.5"
    )


def test_blank_rows_look_like_sage_rows() -> None:
    now = datetime(2026, 1, 5, 8, 30)
    row = blank_row(F_DOCLIGNE, user="TEST", now=now)
    assert row["DL_Qte"] == 0 and row["DL_Design"] == "" and row["DO_DateLivr"] == EMPTY_DATE
    assert row["cbCreateur"] == "TEST" and row["cbModification"] == now and row["cbHashVersion"] == 1
    assert "cbMarq" not in row and row["cbDE_No"] is None
    assert set_twins(F_DOCLIGNE, {"DE_No": 2, "CO_No": 0}) == {
        "DE_No": 2,
        "cbDE_No": 2,
        "CO_No": 0,
        "cbCO_No": None,
    }


def test_plain_decimal() -> None:
    assert str(plain_decimal(Decimal("20.000000"))) == "20"
    assert str(plain_decimal(Decimal("5.500000"))) == "5.5"
    assert str(plain_decimal(None)) == "0"


def test_document_codes() -> None:
    assert {k: v.do_type for k, v in SALES_KINDS.items() if v.creatable} == {
        DocumentType.QUOTE: 0,
        DocumentType.ORDER: 1,
        DocumentType.DELIVERY_PREPARATION: 2,
        DocumentType.DELIVERY_NOTE: 3,
        DocumentType.RETURN: 4,
        DocumentType.INVOICE: 6,
        DocumentType.CREDIT_NOTE: 6,
    }
    assert document_type(6) is DocumentType.INVOICE and document_type(6, 2) is DocumentType.CREDIT_NOTE
    assert document_type(7) is DocumentType.POSTED_INVOICE and document_type(5) is DocumentType.CREDIT_NOTE
    with pytest.raises(ValueError, match="DO_Type 12"):
        document_type(12)


def test_price_tables_name_categories_as_a01_to_a32_and_customers_by_account() -> None:
    assert ref_target("a02") == ("2", None)
    assert ref_target("a32 ") == ("32", None)
    assert ref_target("A02") == (None, "A02")
    assert ref_target("CENTRALE") == (None, "CENTRALE")
    assert ref_target("") == (None, None)


def test_unreachable_database_is_an_erp_error() -> None:
    from comptoir.erp.sage100 import Sage100Erp

    erp = Sage100Erp("sqlite:////nonexistent-folder/company.sqlite")
    with pytest.raises(
        ErpError, match=r"sqlite:////nonexistent-folder/company\.sqlite: no such database file"
    ):
        erp.check()
    erp.close()
    with pytest.raises(ValueError, match="1 to 4 characters"):
        Sage100Erp("sqlite://", user_code="TOOLONG")


def test_database_failure_names_what_was_done(tmp_path: Path) -> None:
    from comptoir.erp.sage100 import Sage100Erp
    from comptoir.erp.sage100.schema import create_schema

    url = f"sqlite:///{(tmp_path / 'bare.sqlite').as_posix()}"
    (tmp_path / "bare.sqlite").touch()
    erp = Sage100Erp(url)
    create_schema(erp.engine)
    with pytest.raises(ErpError, match="find articles: the Sage database failed") as caught:
        erp.engine.dispose()
        (tmp_path / "bare.sqlite").write_bytes(b"not a database" * 100)
        erp.find_articles(["A"])
    assert caught.value.__cause__ is not None
    erp.close()
