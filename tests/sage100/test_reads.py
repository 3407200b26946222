"""Reads of the adapter on the small demo company, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from comptoir.erp.base import Erp
from comptoir.erp.sage100 import Sage100Erp
from comptoir.model import Discount, PriceRule, QuantityKind

D = Decimal


def test_adapter_implements_the_protocol(reader: Sage100Erp) -> None:
    assert isinstance(reader, Erp)
    assert reader.name == "sage100"


def test_check_names_the_company_and_database(reader: Sage100Erp) -> None:
    line = reader.check().description
    assert "Comptoir Méridional" in line and "read and write" in line and "\n" not in line


def test_summary_counts(reader: Sage100Erp) -> None:
    summary = reader.summary()
    assert (summary.articles, summary.customers, summary.documents) == (42, 12, 0)


def test_categories_are_detail_families(reader: Sage100Erp) -> None:
    families = {c.key: c.name for c in reader.read_categories()}
    assert families == {
        "CAVE": "Vins et spiritueux",
        "EPICERIE": "Épicerie fine",
        "JARDIN": "Plantes aromatiques",
        "SERVICES": "Services et frais",
        "TABLE": "Arts de la table et maison",
        "THES": "Thés et infusions",
    }


def test_catalogue_levels_form_a_tree(reader: Sage100Erp) -> None:
    levels = {c.key: c for c in reader.read_catalogue()}
    assert levels["2"].parent_key == "1" and levels["1"].parent_key is None
    assert levels["5"].name == "Linge et vaisselle"


def test_articles_carry_their_catalogue_level_and_families_their_web_flag(reader: Sage100Erp) -> None:
    articles = {a.reference: a for a in reader.read_articles()}
    assert articles["HUILE-NYONS-50"].catalogue == "2", "CL_No1 of an Épicerie article"
    assert {a.catalogue for a in articles.values() if a.family_code == "TABLE"} == {"5"}
    assert all(c.published for c in reader.read_categories())


def test_article_fields(reader: Sage100Erp) -> None:
    articles = {a.reference: a for a in reader.read_articles()}
    assert len(articles) == 42
    oil = articles["HUILE-NYONS-50"]
    assert oil.designation == "Huile d'olive vierge extra AOP Nyons 50 cl"
    assert oil.family_code == "EPICERIE"
    assert oil.sale_price == D("14.5") and oil.purchase_price == D("8.2")
    assert not oil.price_includes_tax
    assert oil.tax_code == "C05"
    assert oil.weight_net == D("0.92") and oil.weight_gross == D("1.012")
    assert len(oil.barcode) == 13 and oil.barcode.startswith("376")
    assert oil.description.startswith("Huile fruitée")
    assert oil.custom_fields["Marque"] == "Moulin du Ventoux"
    assert oil.custom_fields["AR_Stat01"] == "Provence"
    assert oil.published and not oil.dormant and oil.stock_managed
    assert oil.modified_at is not None and oil.modified_at.tzinfo is UTC
    assert articles["THE-NOIR-AGRUMES"].dormant
    assert not articles["LIQUEUR-THYM"].published
    assert articles["VIN-TAVEL-ROSE"].custom_fields["Degré d'alcool"] == "14"
    assert "Degré d'alcool" not in articles["BOL-UZES"].custom_fields


def test_sage_local_times_become_utc(reader: Sage100Erp) -> None:
    # The demo's dates are 08:30 local time (Paris): 07:30 UTC in winter, 06:30 in summer.
    articles = {a.reference: a for a in reader.read_articles()}
    moments = [a.modified_at for a in articles.values() if a.modified_at]
    assert {m.minute for m in moments} == {30}
    assert {m.hour for m in moments} <= {6, 7}
    assert any(m.hour == 7 for m in moments) and any(m.hour == 6 for m in moments)


def test_tax_code_from_article_accounting_before_family(reader: Sage100Erp) -> None:
    articles = {a.reference: a for a in reader.read_articles()}
    assert articles["REMISE20"].tax_code == "C20"
    assert articles["REMISE10"].tax_code == "C10"
    assert articles["REMISE055"].tax_code == "C05"
    assert articles["PLANT-THYM"].tax_code == "C10"
    assert articles["PORT"].family_code == "SERVICES" and not articles["PORT"].stock_managed


def test_grouping_fields(reader: Sage100Erp) -> None:
    articles = {a.reference: a for a in reader.read_articles()}
    nappe = articles["NAPPE-BLE-250"]
    assert nappe.custom_fields["Référence mère"] == "NAPPE-PROV"
    assert (nappe.custom_fields["Attribut 1"], nappe.custom_fields["Valeur 1"]) == ("Couleur", "Bleue")
    assert (nappe.custom_fields["Attribut 2"], nappe.custom_fields["Valeur 2"]) == (
        "Dimensions",
        "150 x 250 cm",
    )
    group = [a for a in articles.values() if a.custom_fields.get("Référence mère") == "TABLIER-LIN"]
    assert len(group) == 3


def test_packagings_ranges_components(reader: Sage100Erp) -> None:
    articles = {a.reference: a for a in reader.read_articles()}
    (case,) = articles["VIN-VENTOUX-RGE"].packagings
    assert (case.label, case.quantity, case.reference, case.price) == (
        "Carton de 6",
        6,
        "VIN-VENTOUX-RGE-C6",
        D("50.7"),
    )
    cells = articles["BOL-UZES"].ranges
    assert [c.reference for c in cells] == ["BOL-UZES-MIE", "BOL-UZES-VER", "BOL-UZES-BLE"]
    assert cells[2].values == (("Couleur", "Bleu"),) and cells[2].price == D("13.5")
    assert articles["COFFRET-GOURMAND"].components == (
        ("HUILE-NYONS-50", 1),
        ("TAPENADE-NOIRE", 1),
        ("MIEL-LAVANDE", 1),
        ("HERBES-PROV", 1),
    )
    assert articles["HUILE-NYONS-50"].packagings == () and articles["HUILE-NYONS-50"].ranges == ()


def test_modified_since_filters_on_modification_date(reader: Sage100Erp) -> None:
    everything = reader.read_articles()
    since = datetime(2025, 11, 1, tzinfo=UTC)
    recent = reader.read_articles(modified_since=since)
    expected = {a.reference for a in everything if a.modified_at and a.modified_at >= since}
    assert {a.reference for a in recent} == expected
    assert 0 < len(expected) < len(everything)
    assert reader.read_articles(modified_since=datetime(2030, 1, 1, tzinfo=UTC)) == []


def test_find_articles_by_reference_range_cell_and_packaging(reader: Sage100Erp) -> None:
    found = reader.find_articles(["PORT", "BOL-UZES-BLE", "VIN-VENTOUX-RGE-C6", "INCONNU", ""])
    assert set(found) == {"PORT", "BOL-UZES-BLE", "VIN-VENTOUX-RGE-C6"}
    assert found["BOL-UZES-BLE"].sale_price == D("13.5")
    assert found["BOL-UZES-BLE"].designation.endswith("Bleu")
    assert found["VIN-VENTOUX-RGE-C6"].sale_price == D("50.7")
    assert found["VIN-VENTOUX-RGE-C6"].tax_code == "C20"
    assert reader.find_articles([]) == {}


def test_warehouses(reader: Sage100Erp) -> None:
    warehouses = reader.read_warehouses()
    assert [(w.key, w.code, w.principal) for w in warehouses] == [("1", "AVI", True), ("2", "LYO", False)]
    assert warehouses[1].postcode == "69002"


def test_stock_for_every_article_and_warehouse(reader: Sage100Erp) -> None:
    levels = reader.read_stock()
    articles = {a.reference for a in reader.read_articles()}
    pairs = {(s.reference, s.warehouse) for s in levels if s.reference in articles}
    assert pairs == {(ref, w) for ref in articles for w in ("1", "2")}
    honey = next(s for s in levels if s.reference == "MIEL-LAVANDE" and s.warehouse == "1")
    assert (honey.real, honey.reserved, honey.quantity(QuantityKind.AVAILABLE)) == (4, 6, -2)
    assert all(s.real == 0 for s in levels if s.reference == "PLANT-MENTHE")
    cells = [s for s in levels if s.reference.startswith("BOL-UZES-")]
    assert len(cells) == 6
    blue = next(s for s in cells if s.reference == "BOL-UZES-BLE" and s.warehouse == "2")
    assert blue.real == 32


def test_stock_of_chosen_warehouses(reader: Sage100Erp) -> None:
    only_lyon = reader.read_stock(["2"])
    assert only_lyon and {s.warehouse for s in only_lyon} == {"2"}
    assert reader.read_stock([]) == []


def test_tax_rates(reader: Sage100Erp) -> None:
    rates = {t.code: t.rate for t in reader.read_tax_rates()}
    assert rates == {"C20": D(20), "C10": D(10), "C05": D("5.5")}


def test_price_categories(reader: Sage100Erp) -> None:
    categories = reader.read_price_categories()
    assert [(c.key, c.name, c.includes_tax) for c in categories] == [
        ("1", "Détaillants", False),
        ("2", "Grossistes", False),
    ]


def _rule(rules: list[PriceRule], **wanted: object) -> list[PriceRule]:
    return [r for r in rules if all(getattr(r, k) == v for k, v in wanted.items())]


def test_price_rules(reader: Sage100Erp) -> None:
    rules = reader.read_price_rules()
    assert _rule(rules, reference="VIN-TAVEL-ROSE", price_category="2")[0].price == D("10.63")
    exception = _rule(rules, reference="VIN-TAVEL-ROSE", customer_code="HOTELCASSIS")[0]
    assert (exception.price, exception.source) == (
        D("9.9"),
        "F_ARTCLIENT (AR_Ref=VIN-TAVEL-ROSE, CT_Num=HOTELCASSIS)",
    )
    family = _rule(rules, family_code="CAVE", price_category="2")
    assert family[0].discounts == (Discount(D(5)),) and family[0].reference is None
    assert _rule(rules, family_code="EPICERIE", customer_code="AUBERGE")[0].discounts == (Discount(D(8)),)
    oil = _rule(rules, reference="HUILE-NYONS-50", price_category="1")[0]
    assert [(b.upper, b.net_price) for b in oil.bands] == [
        (5, D("14.5")),
        (11, D("13.8")),
        (999999, D("12.9")),
    ]
    assert _rule(rules, reference="VIN-VENTOUX-RGE-C6", price_category="2")[0].price == 45
    assert _rule(rules, reference="BOL-UZES-BLE", price_category="1")[0].price == D("13.5")
    assert not _rule(rules, reference="PORT")


def test_purchasing_central_members_carry_their_central(reader: Sage100Erp) -> None:
    assert reader.read_central_links() == {"CAVEAUNIMES": "CENTRALESUD", "EPICERIEAIX": "CENTRALESUD"}
    members = {c.code: c.central_code for c in reader.read_customers() if c.central_code}
    assert members == {"CAVEAUNIMES": "CENTRALESUD", "EPICERIEAIX": "CENTRALESUD"}
    rules = reader.read_price_rules()
    tea = "THE-VERT-MENTHE"
    assert [r.price for r in _rule(rules, reference=tea, customer_code="CENTRALESUD")] == [D("4.9")]
    assert [r.price for r in _rule(rules, reference=tea, customer_code="CAVEAUNIMES")] == [D("4.7")]
    assert not _rule(rules, customer_code="EPICERIEAIX")


def test_customers(reader: Sage100Erp) -> None:
    customers = {c.code: c for c in reader.read_customers()}
    assert len(customers) == 12 and "FMOULIN" not in customers
    inn = customers["AUBERGE"]
    assert inn.name == "Auberge du Mont Ventoux" and inn.company == inn.name
    assert (inn.first_name, inn.last_name) == ("Marion", "CHABERT")
    assert inn.email == "marion.chabert@example.com"
    assert inn.billing.postcode == "84410" and inn.billing.country == "FR"
    assert [d.label for d in inn.deliveries] == ["Auberge du Mont Ventoux", "Cuisine"]
    assert [c.role for c in inn.contacts] == ["Gérante", "Chef de cuisine"]
    assert inn.price_category == "2" and inn.accounting_account == "4110000"
    assert inn.vat_number.startswith("FR") and len(inn.siret) == 14 and inn.ape == "5610A"
    assert inn.credit_limit == 5000 and inn.home_warehouse == "1"
    assert inn.custom_fields["Origine"] in ("Salon", "Site web")
    assert customers["BISTROTLYON"].home_warehouse == "2"
    assert customers["FABREC"].dormant and customers["LEROYA"].prospect
    assert customers["MARTINJ"].company == "" and customers["MARTINJ"].price_category == "1"
    assert customers["EPICERIEAIX"].central_code == "CENTRALESUD"
    assert customers["WEBCLIENT"].email == ""


def test_customers_modified_since(reader: Sage100Erp) -> None:
    everything = reader.read_customers()
    since = datetime(2026, 1, 3, 12, 0, tzinfo=UTC)
    recent = reader.read_customers(modified_since=since)
    expected = {c.code for c in everything if c.modified_at and c.modified_at >= since}
    assert {c.code for c in recent} == expected and 0 < len(expected) < len(everything)


def test_find_customer(reader: Sage100Erp) -> None:
    found = reader.find_customer("auberge")
    assert found is not None and found.code == "AUBERGE"
    assert reader.find_customer("FMOULIN") is None
    assert reader.find_customer("NOBODY") is None


def test_find_customer_by_email(reader: Sage100Erp) -> None:
    by_account = reader.find_customer_by_email("MARION.Chabert@example.com")
    assert by_account is not None and by_account.code == "AUBERGE"
    by_contact = reader.find_customer_by_email("fabien.reynaud@example.com")
    assert by_contact is not None and by_contact.code == "AUBERGE"
    assert reader.find_customer_by_email("nobody@example.com") is None
    assert reader.find_customer_by_email("  ") is None


def test_nothing_found_for_unknown_orders(reader: Sage100Erp) -> None:
    assert reader.find_documents(["999"]) == {}
    assert reader.read_document_progress(["999"]) == []
