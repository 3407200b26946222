"""What every demo company has, whatever its scale: identity, parameters, accounting,
taxes, numbering, free fields, warehouses and the special articles orders need.

The company, *Comptoir Méridional*, is invented: a wholesaler and retailer of regional
products and supplies for hotels and restaurants in the south of France.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from comptoir.demo.company.seeder import Seeder
from comptoir.erp.sage100.codes import NUMBERING_COLUMNS
from comptoir.erp.sage100.freefields import FreeField, FreeFieldKind
from comptoir.erp.sage100.schema import (
    F_ARTCOMPTA,
    F_ARTICLE,
    F_ARTSTOCK,
    F_COLLABORATEUR,
    F_COMPTEG,
    F_DEPOT,
    F_DOCCURRENTPIECE,
    F_FAMCOMPTA,
    F_FAMILLE,
    F_JOURNAUX,
    F_TAXE,
    P_CATCOMPTA,
    P_CATTARIF,
    P_CONDITIONNEMENT,
    P_DEVISE,
    P_DOSSIER,
    P_EXPEDITION,
    P_GAMME,
    P_INTSTATART,
    P_REGLEMENT,
    P_SOUCHEVENTE,
    P_UNITE,
)

COMPANY_NAME = "Comptoir Méridional"
BASE_TIME = datetime(2026, 1, 5, 8, 30)  # noqa: DTZ001 - Sage stores naive local times
"""The demo's "now": every date of the company is derived from it (deterministic content)."""

PRICE_CATEGORIES: dict[int, str] = {1: "Détaillants", 2: "Grossistes"}
TAXES: dict[str, tuple[int, Decimal, str, str, str]] = {
    "C20": (1, Decimal(20), "TVA collectée 20 %", "4457120", "7070020"),
    "C10": (2, Decimal(10), "TVA collectée 10 %", "4457110", "7070010"),
    "C05": (3, Decimal("5.5"), "TVA collectée 5,5 %", "4457105", "7070005"),
}
"""Tax code → (TA_No, rate, label, tax account, sales account)."""

PAYMENT_MODES: dict[int, tuple[str, str]] = {
    1: ("Chèque", "CHQ"),
    2: ("Virement", "VIR"),
    3: ("Carte bancaire", "CB"),
    4: ("Espèces", "ESP"),
    5: ("Prélèvement", "PRE"),
    6: ("PayPal", "PAY"),
}
PAYMENT_JOURNAL = "BQ1"
CUSTOMER_ACCOUNT = "4110000"
SERIES: dict[int, tuple[str, str]] = {0: ("Interne", ""), 1: ("Internet", "W")}
"""Series (``DO_Souche``) → (name, number prefix before the column's prefix)."""

MISCELLANEOUS = "DIVERS"
SHIPPING = "PORT"
PACKAGING = "EMBALLAGE"
DISCOUNTS: dict[str, str] = {"C20": "REMISE20", "C10": "REMISE10", "C05": "REMISE055"}
SERVICES_FAMILY = "SERVICES"
SPECIAL_ARTICLES = (MISCELLANEOUS, SHIPPING, PACKAGING, *DISCOUNTS.values())

SHARED_ACCOUNT = "WEBCLIENT"
GUEST_ACCOUNT = "WEBINVITE"

MASTER_FIELD = "Référence mère"
ATTRIBUTE_FIELDS: tuple[tuple[str, str], ...] = (
    ("Attribut 1", "Valeur 1"),
    ("Attribut 2", "Valeur 2"),
    ("Attribut 3", "Valeur 3"),
)
DESCRIPTION_FIELD = "Description"
NOTES_FIELD = "Commentaires"

FREE_FIELDS: tuple[FreeField, ...] = (
    FreeField("F_ARTICLE", MASTER_FIELD, FreeFieldKind.TEXT, 19, 1),
    FreeField("F_ARTICLE", "Attribut 1", FreeFieldKind.TEXT, 21, 2),
    FreeField("F_ARTICLE", "Valeur 1", FreeFieldKind.TEXT, 21, 3),
    FreeField("F_ARTICLE", "Attribut 2", FreeFieldKind.TEXT, 21, 4),
    FreeField("F_ARTICLE", "Valeur 2", FreeFieldKind.TEXT, 21, 5),
    FreeField("F_ARTICLE", "Attribut 3", FreeFieldKind.TEXT, 21, 6),
    FreeField("F_ARTICLE", "Valeur 3", FreeFieldKind.TEXT, 21, 7),
    FreeField("F_ARTICLE", DESCRIPTION_FIELD, FreeFieldKind.TEXT, 69, 8),
    FreeField("F_ARTICLE", "Marque", FreeFieldKind.TEXT, 35, 9),
    FreeField("F_ARTICLE", "Degré d'alcool", FreeFieldKind.VALUE, 0, 10),
    FreeField("F_ARTICLE", "Nouveauté jusqu'au", FreeFieldKind.DATE, 0, 11),
    FreeField("F_COMPTET", "Origine", FreeFieldKind.TEXT, 21, 1),
    FreeField("F_COMPTET", "Client depuis", FreeFieldKind.DATE, 0, 2),
    FreeField("F_DOCENTETE", NOTES_FIELD, FreeFieldKind.TEXT, 69, 1),
)


@dataclass(frozen=True, slots=True)
class Depot:
    number: int
    name: str
    code: str
    street: str
    postcode: str
    city: str
    departments: tuple[str, ...]
    """Départements whose customers this warehouse serves (home warehouse by postal code)."""


DEPOTS: tuple[Depot, ...] = (
    Depot(1, "Entrepôt Avignon", "AVI", "150 rue du Grenache", "84000", "Avignon", ("84", "26", "04", "05")),
    Depot(2, "Magasin Lyon", "LYO", "18 quai Saint-Antoine", "69002", "Lyon", ("69", "73", "74", "38")),
    Depot(3, "Magasin Marseille", "MRS", "42 rue de Rome", "13006", "Marseille", ("13", "83")),
    Depot(
        4, "Magasin Montpellier", "MTP", "7 rue de l'Aiguillerie", "34000", "Montpellier", ("34", "11", "66")
    ),
    Depot(5, "Magasin Nîmes", "NIM", "12 boulevard Victor Hugo", "30000", "Nîmes", ("30",)),
    Depot(6, "Magasin Toulouse", "TLS", "25 rue des Filatiers", "31000", "Toulouse", ("31", "81")),
    Depot(7, "Magasin Grenoble", "GRE", "3 place aux Herbes", "38000", "Grenoble", ("38",)),
    Depot(8, "Magasin Nice", "NCE", "9 rue Pairolière", "06000", "Nice", ("06",)),
)


def home_depot(postcode: str, depots: tuple[Depot, ...]) -> int:
    """The warehouse serving a postal code (the last listed depot claiming its département wins)."""
    department = postcode[:2]
    found = 1
    for depot in depots:
        if department in depot.departments:
            found = depot.number
    return found


def slots(
    count: int, filled: Mapping[int, Mapping[str, Any]], empty: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """A fixed-slot ``P_`` list: ``count`` rows keyed by ``cbIndice``, unused ones blank."""
    return [{**empty, **filled.get(i, {}), "cbIndice": i} for i in range(1, count + 1)]


def seed_parameters(seeder: Seeder, *, scale: str, seed: int) -> None:
    """Company identity and every ``P_`` parameter list."""
    seeder.add(
        P_DOSSIER,
        [
            {
                "D_RaisonSoc": COMPANY_NAME,
                "D_Profession": "Négoce de produits régionaux",
                "D_Adresse": "150 rue du Grenache",
                "D_Complement": "ZA de Courtine",
                "D_CodePostal": "84000",
                "D_Ville": "Avignon",
                "D_CodeRegion": "PACA",
                "D_Pays": "France",
                "D_Telephone": "04 90 00 12 34",
                "D_EMail": "contact@comptoir-meridional.example",
                "D_Site": "https://comptoir-meridional.example",
                "D_Siret": "81234567800017",
                "D_Ape": "4639B",
                "D_Identifiant": "FR47812345678",
                "D_Commentaire": f"Démo ({scale}, graine {seed})",
            }
        ],
    )
    seeder.add(
        P_CATTARIF,
        slots(32, {n: {"CT_Intitule": name} for n, name in PRICE_CATEGORIES.items()}, {"CT_Intitule": ""}),
    )
    seeder.add(
        P_CATCOMPTA,
        [
            {
                "CA_ComptaVen01": "France",
                "CA_ComptaVen02": "Export",
                "CA_ComptaVen03": "Intracommunautaire",
                "CA_ComptaAch01": "France",
                "CA_ComptaAch02": "Import",
                "CA_ComptaAch03": "Intracommunautaire",
                "CA_ComptaSto01": "Stock",
            }
        ],
    )
    currencies = {
        1: {
            "D_Intitule": "Euro",
            "D_CodeISO": "EUR",
            "D_Sigle": "€",
            "D_Monnaie": "Euro",
            "D_SousMonnaie": "Cent",
            "D_Euro": 1,
            "D_Cours": Decimal(1),
            "D_CodeISONum": "978",
        },
        2: {
            "D_Intitule": "Dollar US",
            "D_CodeISO": "USD",
            "D_Sigle": "$",
            "D_Monnaie": "Dollar",
            "D_SousMonnaie": "Cent",
            "D_Cours": Decimal("1.0850"),
            "D_CodeISONum": "840",
        },
        3: {
            "D_Intitule": "Livre sterling",
            "D_CodeISO": "GBP",
            "D_Sigle": "£",
            "D_Monnaie": "Livre",
            "D_SousMonnaie": "Penny",
            "D_Cours": Decimal("0.8560"),
            "D_CodeISONum": "826",
        },
        4: {
            "D_Intitule": "Franc suisse",
            "D_CodeISO": "CHF",
            "D_Sigle": "CHF",
            "D_Monnaie": "Franc",
            "D_SousMonnaie": "Centime",
            "D_Cours": Decimal("0.9420"),
            "D_CodeISONum": "756",
        },
    }
    seeder.add(P_DEVISE, slots(32, currencies, {"D_Intitule": ""}))
    seeder.add(
        P_REGLEMENT,
        slots(
            30,
            {n: {"R_Intitule": name, "R_Code": code} for n, (name, code) in PAYMENT_MODES.items()},
            {"R_Intitule": ""},
        ),
    )
    seeder.add(
        P_EXPEDITION,
        slots(
            30,
            {
                1: {"E_Intitule": "Transporteur régional", "E_Mode": "TRA", "E_TypeLigneFrais": 0},
                2: {"E_Intitule": "Colissimo", "E_Mode": "COL", "E_TypeLigneFrais": 1},
            },
            {"E_Intitule": ""},
        ),
    )
    seeder.add(
        P_SOUCHEVENTE,
        slots(
            50,
            {n + 1: {"S_Intitule": name, "S_Valide": 1, "JO_Num": "VTE"} for n, (name, _) in SERIES.items()},
            {"S_Intitule": ""},
        ),
    )
    units = {
        1: "Pièce",
        2: "Bouteille",
        3: "Pot",
        4: "Sachet",
        5: "Kilogramme",
        6: "Litre",
        7: "Lot",
        8: "Paire",
    }
    seeder.add(P_UNITE, slots(30, {n: {"U_Intitule": name} for n, name in units.items()}, {"U_Intitule": ""}))
    seeder.add(
        P_GAMME,
        slots(
            50,
            {1: {"G_Intitule": "Couleur"}, 2: {"G_Intitule": "Taille"}, 3: {"G_Intitule": "Pointure"}},
            {"G_Intitule": ""},
        ),
    )
    seeder.add(
        P_CONDITIONNEMENT,
        slots(
            50,
            {1: {"P_Conditionnement": "Carton"}, 2: {"P_Conditionnement": "Colis"}},
            {"P_Conditionnement": ""},
        ),
    )
    seeder.add(
        P_INTSTATART,
        slots(5, {1: {"P_IntStatArt": "Provenance"}, 2: {"P_IntStatArt": "Saison"}}, {"P_IntStatArt": ""}),
    )


def seed_accounting(seeder: Seeder) -> None:
    """Chart of accounts, taxes, journals and sales representatives."""
    accounts = [
        ("4010000", "Fournisseurs", 2),
        (CUSTOMER_ACCOUNT, "Clients", 1),
        ("4111000", "Clients internet", 1),
        ("5121000", "Banque Crédit Provençal", 0),
        ("5112000", "Chèques à encaisser", 0),
        ("5300000", "Caisse", 0),
        ("6070000", "Achats de marchandises", 0),
        ("7085000", "Ports et frais accessoires facturés", 0),
    ]
    for code, (_, _, label, tax_account, sales_account) in TAXES.items():
        accounts.append((tax_account, label, 0))
        accounts.append((sales_account, f"Ventes de marchandises {code}", 0))
    seeder.add(
        F_COMPTEG,
        [
            {
                "CG_Num": num,
                "CG_Intitule": label,
                "CG_Classement": label.upper()[:17],
                "N_Nature": nature,
                "CG_Tiers": int(nature in (1, 2)),
                "CG_Lettrage": int(nature in (1, 2)),
                "CG_DateCreate": BASE_TIME,
            }
            for num, label, nature in sorted(accounts)
        ],
    )
    seeder.add(
        F_TAXE,
        [
            {
                "TA_No": number,
                "TA_Code": code,
                "TA_Intitule": label,
                "TA_Taux": rate,
                "TA_TTaux": 0,
                "TA_Type": 0,
                "TA_Sens": 1,
                "CG_Num": tax_account,
                "TA_Regroup": code,
            }
            for code, (number, rate, label, tax_account, _) in TAXES.items()
        ],
    )
    seeder.add(
        F_JOURNAUX,
        [
            {"JO_Num": "ACH", "JO_Intitule": "Achats", "JO_Type": 0},
            {"JO_Num": "VTE", "JO_Intitule": "Ventes", "JO_Type": 1},
            {
                "JO_Num": PAYMENT_JOURNAL,
                "JO_Intitule": "Banque Crédit Provençal",
                "JO_Type": 2,
                "CG_Num": "5121000",
                "JO_Reglement": 1,
            },
            {"JO_Num": "CAI", "JO_Intitule": "Caisse", "JO_Type": 2, "CG_Num": "5300000", "JO_Reglement": 1},
        ],
    )
    seeder.add(
        F_COLLABORATEUR,
        [
            {
                "CO_No": 1,
                "CO_Nom": "DURAND",
                "CO_Prenom": "Sophie",
                "CO_Fonction": "Vendeuse",
                "CO_Vendeur": 1,
                "CO_EMail": "sophie.durand@comptoir-meridional.example",
                "CO_DateCreation": BASE_TIME,
            },
            {
                "CO_No": 2,
                "CO_Nom": "BLANC",
                "CO_Prenom": "Olivier",
                "CO_Fonction": "Commercial grands comptes",
                "CO_Vendeur": 1,
                "CO_EMail": "olivier.blanc@comptoir-meridional.example",
                "CO_DateCreation": BASE_TIME,
            },
        ],
    )


def seed_numbering(seeder: Seeder) -> None:
    """``F_DOCCURRENTPIECE``: the first number of every sales column in each series."""
    rows = []
    for souche, (_, prefix) in SERIES.items():
        width = 5 if not prefix else 4
        for column, code in NUMBERING_COLUMNS.items():
            rows.append(
                {
                    "DC_Domaine": 0,
                    "DC_IdCol": column,
                    "DC_Souche": souche,
                    "DC_Piece": f"{prefix}{code}{1:0{width}d}",
                }
            )
    seeder.add(F_DOCCURRENTPIECE, rows)


def seed_depots(seeder: Seeder, depots: tuple[Depot, ...]) -> None:
    seeder.add(
        F_DEPOT,
        [
            {
                "DE_No": d.number,
                "DE_Intitule": d.name,
                "DE_Code": d.code,
                "DE_Adresse": d.street,
                "DE_CodePostal": d.postcode,
                "DE_Ville": d.city,
                "DE_Pays": "France",
                "DE_Principal": int(d.number == 1),
                "DE_CatCompta": 1,
            }
            for d in depots
        ],
    )


@dataclass(frozen=True, slots=True)
class Family:
    code: str
    name: str
    tax: str
    used: bool = True


def seed_families(seeder: Seeder, families: Iterable[Family]) -> None:
    """Families with their sales accounting (category 1 France: sales account + tax code)."""
    listed = list(families)
    seeder.add(
        F_FAMILLE,
        [
            {
                "FA_CodeFamille": f.code,
                "FA_Intitule": f.name,
                "FA_Type": 0,
                "FA_UniteVen": 1,
                "FA_SuiviStock": 2,
                "FA_Publie": 1,
                "FA_Coef": Decimal("1.8"),
            }
            for f in listed
        ],
    )
    seeder.add(
        F_FAMCOMPTA,
        [
            {
                "FA_CodeFamille": f.code,
                "FCP_Type": 0,
                "FCP_Champ": 1,
                "FCP_ComptaCPT_CompteG": TAXES[f.tax][4],
                "FCP_ComptaCPT_Taxe1": f.tax,
            }
            for f in listed
        ],
    )


@dataclass(slots=True)
class ArticleSpec:
    """One article to write, with what goes around it (free fields, stock)."""

    reference: str
    designation: str
    family: str
    price: Decimal
    cost: Decimal
    published: bool = True
    dormant: bool = False
    stock_managed: bool = True
    weight: Decimal = Decimal("0.5")
    barcode: str = ""
    unit: int = 1
    free: dict[str, Any] = field(default_factory=dict)
    stats: tuple[str, str] = ("", "")
    created_days_ago: int = 400
    modified_days_ago: int = 30
    catalogue: int = 0
    range_dimensions: tuple[int, int] = (0, 0)
    bill_of_materials: bool = False


def article_row(spec: ArticleSpec) -> dict[str, Any]:
    cost = spec.cost
    coef = (spec.price / cost).quantize(Decimal("0.000001")) if cost else Decimal(0)
    return {
        "AR_Ref": spec.reference,
        "AR_Design": spec.designation,
        "FA_CodeFamille": spec.family,
        "AR_UnitePoids": 2,
        "AR_PoidsNet": spec.weight,
        "AR_PoidsBrut": (spec.weight * Decimal("1.1")).quantize(Decimal("0.001")),
        "AR_UniteVen": spec.unit,
        "AR_PrixAch": cost,
        "AR_Coef": coef,
        "AR_PrixVen": spec.price,
        "AR_PrixTTC": 0,
        "AR_Gamme1": spec.range_dimensions[0],
        "AR_Gamme2": spec.range_dimensions[1],
        "AR_SuiviStock": 2 if spec.stock_managed else 0,
        "AR_Nomencl": 2 if spec.bill_of_materials else 0,
        "AR_Stat01": spec.stats[0],
        "AR_Stat02": spec.stats[1],
        "AR_Sommeil": int(spec.dormant),
        "AR_Publie": int(spec.published),
        "AR_CodeBarre": spec.barcode,
        "AR_Pays": "France",
        "AR_DateCreation": BASE_TIME - timedelta(days=spec.created_days_ago),
        "AR_DateModif": BASE_TIME - timedelta(days=spec.modified_days_ago),
        "CL_No1": spec.catalogue,
        **spec.free,
    }


def special_articles() -> list[ArticleSpec]:
    """The articles orders need: miscellaneous, shipping, packaging, one discount per tax code."""

    def service(ref: str, design: str, price: str = "0") -> ArticleSpec:
        return ArticleSpec(
            ref,
            design,
            SERVICES_FAMILY,
            Decimal(price),
            Decimal(0),
            published=False,
            stock_managed=False,
            weight=Decimal(0),
            created_days_ago=900,
            modified_days_ago=900,
        )

    return [
        service(MISCELLANEOUS, "Article divers"),
        service(SHIPPING, "Frais de port"),
        service(PACKAGING, "Emballage cadeau", "3.5"),
        service(DISCOUNTS["C20"], "Remise commerciale TVA 20 %"),
        service(DISCOUNTS["C10"], "Remise commerciale TVA 10 %"),
        service(DISCOUNTS["C05"], "Remise commerciale TVA 5,5 %"),
    ]


def seed_special_accounting(seeder: Seeder) -> None:
    """Discount articles whose tax differs from their family's (``F_ARTCOMPTA`` overrides)."""
    seeder.add(
        F_ARTCOMPTA,
        [
            {
                "AR_Ref": DISCOUNTS[code],
                "ACP_Type": 0,
                "ACP_Champ": 1,
                "ACP_ComptaCPT_CompteG": TAXES[code][4],
                "ACP_ComptaCPT_Taxe1": code,
            }
            for code in ("C10", "C05")
        ],
    )


def seed_articles(seeder: Seeder, specs: Iterable[ArticleSpec]) -> int:
    return seeder.add(F_ARTICLE, (article_row(s) for s in specs))


def stock_row(
    reference: str,
    depot: int,
    real: Decimal,
    cost: Decimal,
    *,
    reserved: Decimal = Decimal(0),
    incoming: Decimal = Decimal(0),
    principal: bool = False,
) -> dict[str, Any]:
    return {
        "AR_Ref": reference,
        "DE_No": depot,
        "AS_QteSto": real,
        "AS_QteRes": reserved,
        "AS_QteCom": incoming,
        "AS_MontSto": (real * cost).quantize(Decimal("0.01")) if real > 0 else Decimal(0),
        "AS_QteMini": Decimal(2),
        "AS_Principal": int(principal),
        "AS_Mouvemente": 1,
    }


def seed_stock(seeder: Seeder, rows: Iterable[dict[str, Any]]) -> int:
    return seeder.add(F_ARTSTOCK, rows)
