"""Every kind of Sage price condition, read into neutral rules, and the resolver's answers on them.

Rows are added to a copy of the small demo company the way Sage keeps them; the expected
prices are worked out by hand in the comments.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import create_engine, update

from comptoir.demo.company.common import BASE_TIME
from comptoir.demo.company.seeder import Seeder
from comptoir.erp.sage100 import Sage100Erp
from comptoir.erp.sage100.schema import (
    F_ARTCLIENT,
    F_ARTICLE,
    F_COMPTET,
    F_FAMCLIENT,
    F_FAMTARIF,
    F_FAMTARIFQTE,
    F_TARIFQTE,
    P_CATTARIF,
)
from comptoir.model import (
    BandBasis,
    Discount,
    DiscountKind,
    PriceBook,
    PricedArticle,
    PriceRule,
    PricingCustomer,
    PricingOptions,
)

D = Decimal


def _add_conditions(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        seeder = Seeder(conn, BASE_TIME)
        conn.execute(
            update(P_CATTARIF)
            .where(P_CATTARIF.c.cbIndice == 3)
            .values(CT_Intitule="Particuliers TTC", CT_PrixTTC=1)
        )
        # The coefficient path of the article itself: no sale price, purchase 2.40 × 2.5.
        conn.execute(
            update(F_ARTICLE)
            .where(F_ARTICLE.c.AR_Ref == "TAPENADE-NOIRE")
            .values(AR_PrixVen=D(0), AR_Coef=D("2.5"))
        )
        conn.execute(update(F_COMPTET).where(F_COMPTET.c.CT_Num == "AUBERGE").values(CT_Taux01=D(3)))
        seeder.add(
            F_ARTCLIENT,
            [
                # a tax-inclusive category price
                {"AR_Ref": "VIN-TAVEL-ROSE", "AC_Categorie": 3, "AC_PrixVen": D("15.00"), "AC_PrixTTC": 1},
                # a category price by coefficient on the purchase price
                {"AR_Ref": "HERBES-PROV", "AC_Categorie": 3, "AC_PrixVen": D(0), "AC_Coef": D(3)},
                # discounts by quantity for a customer, from F_TARIFQTE
                {"AR_Ref": "HERBES-PROV", "CT_Num": "BISTROTLYON", "AC_QteMont": 1},
                # discounts by amount for a customer
                {"AR_Ref": "HUILE-NYONS-50", "CT_Num": "BISTROTLYON", "AC_QteMont": 2},
                # an exception discount on an article out of other discounts
                {"AR_Ref": "TAPENADE-NOIRE", "CT_Num": "AUBERGE", "AC_Remise": D(7), "AC_TypeRem": 1},
            ],
        )
        seeder.add(
            F_TARIFQTE,
            [
                {"AR_Ref": "HERBES-PROV", "TQ_RefCF": "BISTROTLYON", "TQ_BorneSup": D(9)},
                {
                    "AR_Ref": "HERBES-PROV",
                    "TQ_RefCF": "BISTROTLYON",
                    "TQ_BorneSup": D(999999),
                    "TQ_Remise01REM_Valeur": D(10),
                    "TQ_Remise01REM_Type": 1,
                    "TQ_Remise02REM_Valeur": D("0.10"),
                    "TQ_Remise02REM_Type": 0,
                    "TQ_Remise03REM_Valeur": D(1),
                    "TQ_Remise03REM_Type": 2,
                },
                {"AR_Ref": "HUILE-NYONS-50", "TQ_RefCF": "BISTROTLYON", "TQ_BorneSup": D(100)},
                {
                    "AR_Ref": "HUILE-NYONS-50",
                    "TQ_RefCF": "BISTROTLYON",
                    "TQ_BorneSup": D(999999),
                    "TQ_Remise01REM_Valeur": D(12),
                    "TQ_Remise01REM_Type": 1,
                },
            ],
        )
        seeder.add(F_FAMTARIF, [{"FA_CodeFamille": "THES", "FT_Categorie": 1, "FT_QteMont": 1}])
        seeder.add(F_FAMCLIENT, [{"FA_CodeFamille": "CAVE", "CT_Num": "ROUSSELP"}])
        seeder.add(
            F_FAMTARIFQTE,
            [
                {"FA_CodeFamille": "THES", "FQ_RefCF": "a01", "FQ_BorneSup": D(4)},
                {
                    "FA_CodeFamille": "THES",
                    "FQ_RefCF": "a01",
                    "FQ_BorneSup": D(999999),
                    "FQ_Remise01REM_Valeur": D(6),
                    "FQ_Remise01REM_Type": 1,
                },
                {"FA_CodeFamille": "CAVE", "FQ_RefCF": "ROUSSELP", "FQ_BorneSup": D(11)},
                {
                    "FA_CodeFamille": "CAVE",
                    "FQ_RefCF": "ROUSSELP",
                    "FQ_BorneSup": D(999999),
                    "FQ_Remise01REM_Valeur": D(4),
                    "FQ_Remise01REM_Type": 1,
                },
            ],
        )
    engine.dispose()


def _one(rules: list[PriceRule], **wanted: object) -> PriceRule:
    found = [r for r in rules if all(getattr(r, k) == v for k, v in wanted.items())]
    assert len(found) == 1, found
    return found[0]


def test_every_condition_is_read_as_sage_keeps_it(company_url: str) -> None:
    _add_conditions(company_url)
    erp = Sage100Erp(company_url, user_code="TEST")
    try:
        rules = erp.read_price_rules()
        articles = {a.reference: a for a in erp.read_articles()}
        customers = {c.code: c for c in erp.read_customers()}
        categories = {c.key: c for c in erp.read_price_categories()}
    finally:
        erp.close()

    assert categories["3"].includes_tax is True
    tapenade = articles["TAPENADE-NOIRE"]
    assert (tapenade.sale_price, tapenade.price_field) == (D("6.00"), "AR_PrixAch × AR_Coef")
    assert customers["AUBERGE"].discount == 3

    ttc = _one(rules, reference="VIN-TAVEL-ROSE", price_category="3")
    assert (ttc.price, ttc.includes_tax) == (D(15), True)
    assert _one(rules, reference="HERBES-PROV", price_category="3").price == D("3.90")  # 1.30 × 3
    by_quantity = _one(rules, reference="HERBES-PROV", customer_code="BISTROTLYON")
    assert by_quantity.band_basis is BandBasis.QUANTITY
    assert [(b.upper, b.discounts) for b in by_quantity.bands] == [
        (9, ()),
        (999999, (Discount(D(10)), Discount(D("0.1"), DiscountKind.AMOUNT))),
    ]
    by_amount = _one(rules, reference="HUILE-NYONS-50", customer_code="BISTROTLYON")
    assert by_amount.band_basis is BandBasis.AMOUNT
    out = _one(rules, reference="TAPENADE-NOIRE", customer_code="AUBERGE")
    assert (out.exclusive, out.discounts) == (True, (Discount(D(7)),))
    teas = _one(rules, family_code="THES", price_category="1")
    assert [b.upper for b in teas.bands] == [4, 999999] and teas.bands[1].discounts == (Discount(D(6)),)
    wine = _one(rules, family_code="CAVE", customer_code="ROUSSELP")
    assert [b.discounts for b in wine.bands] == [(), (Discount(D(4)),)]

    def priced(reference: str) -> PricedArticle:
        a = articles[reference]
        rate = {"C20": D(20), "C05": D("5.5"), "C10": D(10)}[a.tax_code]
        return PricedArticle(a.reference, a.family_code, a.sale_price or D(0), a.price_includes_tax, rate)

    people = {
        code: PricingCustomer(c.code, c.price_category, c.central_code, c.discount)
        for code, c in customers.items()
    }
    book = PriceBook(rules, people, PricingOptions())
    # 15.00 with tax at 20 % → 12.50 without.
    assert book.net(priced("VIN-TAVEL-ROSE"), category="3") == D("12.50")
    # Herbs for the bistrot (category 2: 2.89, its family's 3 % → 2.80); from 10 its band's
    # -10 % then -0.10 (2.501) beats the family's 3 %.
    assert book.schedule(priced("HERBES-PROV"), customer="BISTROTLYON") == ((1, D("2.80")), (10, D("2.50")))
    # Oil by amount: 12.33 a unit for category 2 (11.96 after the family's 3 %); the line passes
    # 100.00 at 9 units (110.97), where the band's 12 % gives 10.85.
    oil = book.schedule(priced("HUILE-NYONS-50"), customer="BISTROTLYON")
    assert oil == ((1, D("11.96")), (9, D("10.85")))
    # Out of discounts: the category 2 price 4.17, without its own 7 %, the family's 8 % or the
    # customer's 3 % (even when asked); another article of the family gets the family's 8 %.
    asked = PriceBook(rules, people, PricingOptions(customer_discount=True))
    assert asked.net(priced("TAPENADE-NOIRE"), customer="AUBERGE") == D("4.17")
    assert asked.net(priced("HERBES-PROV"), customer="AUBERGE") == D("2.66")  # 2.89 - 8 %
    # A family's bands for category 1, and a customer's own family bands.
    tea = priced("THE-VERT-MENTHE")
    assert book.schedule(tea, category="1")[1][0] == 5
    assert book.schedule(priced("VIN-TAVEL-ROSE"), customer="ROUSSELP")[1][0] == 12
