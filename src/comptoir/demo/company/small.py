"""The small demo company: about forty articles in six families, two warehouses, a dozen
customers — every case the jobs meet, small enough to build in a blink.

Catalogue: regional groceries and teas (5.5 % VAT), plants (10 %), wines, table linen and
kitchenware (20 %); a dormant article, an unpublished one, one with negative available
stock, articles with no stock; variations by grouping (aprons in three colours, tablecloths
in two colours × two sizes), a range article (bowls in three colours), a packaging unit
(case of 6 bottles), a gift box with a bill of materials, quantity breaks, category prices,
family discounts, exception prices and a purchasing central with two members.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from comptoir.demo.company.common import (
    ATTRIBUTE_FIELDS,
    BASE_TIME,
    CUSTOMER_ACCOUNT,
    DEPOTS,
    DESCRIPTION_FIELD,
    GUEST_ACCOUNT,
    MASTER_FIELD,
    SERVICES_FAMILY,
    SHARED_ACCOUNT,
    ArticleSpec,
    Family,
    home_depot,
    seed_articles,
    seed_depots,
    seed_families,
    seed_special_accounting,
    seed_stock,
    special_articles,
    stock_row,
)
from comptoir.demo.company.identity import ean13, siren, siret, vat_number
from comptoir.demo.company.seeder import Seeder
from comptoir.erp.sage100.schema import (
    F_ARTCLIENT,
    F_ARTENUMREF,
    F_ARTFOURNISS,
    F_ARTGAMME,
    F_CATALOGUE,
    F_COMPTET,
    F_CONDITION,
    F_CONTACTT,
    F_FAMCLIENT,
    F_FAMTARIF,
    F_GAMSTOCK,
    F_LIVRAISON,
    F_NOMENCLAT,
    F_REGLEMENTT,
    F_TARIFCOND,
    F_TARIFGAM,
    F_TARIFQTE,
)
from comptoir.model import round_money

D = Decimal
FAMILIES = (
    Family("EPICERIE", "Épicerie fine", "C05"),
    Family("THES", "Thés et infusions", "C05"),
    Family("CAVE", "Vins et spiritueux", "C20"),
    Family("TABLE", "Arts de la table et maison", "C20"),
    Family("JARDIN", "Plantes aromatiques", "C10"),
    Family(SERVICES_FAMILY, "Services et frais", "C20"),
)
DEPOT_COUNT = 2
NEGATIVE_STOCK = "MIEL-LAVANDE"
NO_STOCK = ("PLANT-MENTHE",)
CENTRAL = "CENTRALESUD"

# reference, designation, family, price, cost, weight, description, brand
_PRODUCTS: tuple[tuple[str, str, str, str, str, str, str, str], ...] = (
    (
        "HUILE-NYONS-50",
        "Huile d'olive vierge extra AOP Nyons 50 cl",
        "EPICERIE",
        "14.50",
        "8.20",
        "0.92",
        "Huile fruitée noire des oliviers de Nyons, pressée à froid.",
        "Moulin du Ventoux",
    ),
    (
        "TAPENADE-NOIRE",
        "Tapenade noire aux olives de Nyons 90 g",
        "EPICERIE",
        "4.90",
        "2.40",
        "0.15",
        "Tapenade à l'ancienne, câpres et anchois de Collioure.",
        "Moulin du Ventoux",
    ),
    (
        NEGATIVE_STOCK,
        "Miel de lavande de Provence 250 g",
        "EPICERIE",
        "7.80",
        "4.10",
        "0.32",
        "Miel crémeux récolté sur le plateau de Valensole.",
        "Rucher des Baronnies",
    ),
    (
        "CONF-FIGUE",
        "Confiture de figues violettes 340 g",
        "EPICERIE",
        "5.60",
        "2.90",
        "0.45",
        "Figues de Solliès cuites au chaudron de cuivre.",
        "Confiturerie du Comtat",
    ),
    (
        "SEL-CAMARGUE",
        "Fleur de sel de Camargue 125 g",
        "EPICERIE",
        "4.20",
        "1.70",
        "0.14",
        "Fleur de sel récoltée à la main, sans additif.",
        "Salins du Vaccarès",
    ),
    (
        "NOUGAT-BLANC",
        "Nougat blanc de Montélimar 200 g",
        "EPICERIE",
        "6.90",
        "3.50",
        "0.21",
        "Nougat tendre au miel de lavande et amandes de Provence.",
        "Confiserie du Jabron",
    ),
    (
        "CALISSONS-12",
        "Calissons d'Aix, boîte de 12",
        "EPICERIE",
        "11.90",
        "6.20",
        "0.18",
        "Calissons traditionnels au melon confit.",
        "Confiserie du Roy René",
    ),
    (
        "HERBES-PROV",
        "Herbes de Provence Label Rouge 50 g",
        "EPICERIE",
        "3.40",
        "1.30",
        "0.06",
        "Thym, sarriette, origan et romarin de Haute-Provence.",
        "Jardins de Sault",
    ),
    (
        "COFFRET-GOURMAND",
        "Coffret gourmand provençal",
        "EPICERIE",
        "39.00",
        "21.00",
        "1.60",
        "Huile, tapenade, miel et herbes dans un coffret en bois.",
        "Comptoir Méridional",
    ),
    (
        "THE-VERT-MENTHE",
        "Thé vert à la menthe 100 g",
        "THES",
        "6.50",
        "2.80",
        "0.11",
        "Gunpowder de Chine et menthe nanah séchée.",
        "Maison des Thés d'Uzès",
    ),
    (
        "INFUSION-VERVEINE",
        "Infusion verveine de Provence 30 g",
        "THES",
        "5.20",
        "2.10",
        "0.04",
        "Feuilles entières de verveine citronnelle.",
        "Herboristerie du Luberon",
    ),
    (
        "THE-NOIR-AGRUMES",
        "Thé noir aux agrumes 100 g",
        "THES",
        "6.80",
        "2.90",
        "0.11",
        "Thé de Ceylan, écorces d'orange et de bergamote.",
        "Maison des Thés d'Uzès",
    ),
    (
        "ROOIBOS-VANILLE",
        "Rooibos à la vanille 100 g",
        "THES",
        "6.20",
        "2.60",
        "0.11",
        "Rooibos rouge et gousses de vanille Bourbon.",
        "Maison des Thés d'Uzès",
    ),
    (
        "INFUSION-TILLEUL",
        "Tilleul des Baronnies 30 g",
        "THES",
        "5.90",
        "2.40",
        "0.04",
        "Bractées de tilleul récoltées à Buis-les-Baronnies.",
        "Herboristerie du Luberon",
    ),
    (
        "VIN-VENTOUX-RGE",
        "Ventoux rouge AOC 75 cl",
        "CAVE",
        "8.90",
        "4.80",
        "1.25",
        "Grenache et syrah, fruité et épicé.",
        "Domaine des Dentelles",
    ),
    (
        "VIN-TAVEL-ROSE",
        "Tavel rosé AOC 75 cl",
        "CAVE",
        "12.50",
        "6.90",
        "1.25",
        "Le roi des rosés, ample et gourmand.",
        "Domaine des Dentelles",
    ),
    (
        "VIN-CDR-BLANC",
        "Côtes du Rhône blanc 75 cl",
        "CAVE",
        "9.40",
        "5.00",
        "1.25",
        "Viognier et clairette, floral et frais.",
        "Domaine des Dentelles",
    ),
    (
        "PASTIS-ARTISAN",
        "Pastis artisanal 70 cl",
        "CAVE",
        "24.00",
        "13.50",
        "1.20",
        "Anis étoilé, réglisse et plantes de garrigue.",
        "Distillerie de Forcalquier",
    ),
    (
        "LIQUEUR-THYM",
        "Liqueur de thym 50 cl",
        "CAVE",
        "19.50",
        "10.20",
        "0.90",
        "Farigoule macérée dans l'alcool de fruits.",
        "Distillerie de Forcalquier",
    ),
    (
        "PLANCHE-OLIVIER",
        "Planche à découper en bois d'olivier",
        "TABLE",
        "32.00",
        "15.00",
        "0.80",
        "Planche taillée dans la masse, huilée à la main.",
        "Atelier du Bois d'Olivier",
    ),
    (
        "SAVON-MARSEILLE",
        "Savon de Marseille 72 % 300 g",
        "TABLE",
        "4.50",
        "1.80",
        "0.30",
        "Savon cuit au chaudron, huiles végétales.",
        "Savonnerie du Midi",
    ),
    (
        "CARAFE-BIOT",
        "Carafe en verre soufflé de Biot 1 L",
        "TABLE",
        "38.00",
        "17.00",
        "0.70",
        "Verre bullé soufflé à la bouche.",
        "Verrerie de Biot",
    ),
    (
        "PLANT-BASILIC",
        "Plant de basilic grand vert, pot 10 cm",
        "JARDIN",
        "3.90",
        "1.40",
        "0.40",
        "Basilic génois à grandes feuilles.",
        "Pépinière du Luberon",
    ),
    (
        "PLANT-THYM",
        "Plant de thym, pot 10 cm",
        "JARDIN",
        "3.90",
        "1.40",
        "0.40",
        "Thym vulgaire, rustique et mellifère.",
        "Pépinière du Luberon",
    ),
    (
        "PLANT-ROMARIN",
        "Plant de romarin, pot 13 cm",
        "JARDIN",
        "5.50",
        "2.10",
        "0.70",
        "Romarin officinal au port érigé.",
        "Pépinière du Luberon",
    ),
    (
        "PLANT-LAVANDE",
        "Lavande vraie, pot 13 cm",
        "JARDIN",
        "6.50",
        "2.60",
        "0.70",
        "Lavandula angustifolia de Haute-Provence.",
        "Pépinière du Luberon",
    ),
    (
        "PLANT-SAUGE",
        "Sauge officinale, pot 10 cm",
        "JARDIN",
        "3.90",
        "1.40",
        "0.40",
        "Sauge aromatique au feuillage argenté.",
        "Pépinière du Luberon",
    ),
    (
        "PLANT-MENTHE",
        "Menthe marocaine, pot 10 cm",
        "JARDIN",
        "3.90",
        "1.40",
        "0.40",
        "Menthe nanah pour le thé à la menthe.",
        "Pépinière du Luberon",
    ),
)
DORMANT = "THE-NOIR-AGRUMES"
UNPUBLISHED = "LIQUEUR-THYM"

# master, reference prefix, base designation, price, cost, variants: (attribute, value, code)…
_GROUPS: tuple[tuple[str, str, str, str, str, tuple[tuple[tuple[str, str, str], ...], ...]], ...] = (
    (
        "TABLIER-LIN",
        "TABLIER-LIN",
        "Tablier en lin lavé",
        "29.00",
        "14.00",
        (
            (("Couleur", "Naturel", "NAT"),),
            (("Couleur", "Olive", "OLI"),),
            (("Couleur", "Lavande", "LAV"),),
        ),
    ),
    (
        "NAPPE-PROV",
        "NAPPE",
        "Nappe provençale",
        "34.00",
        "16.00",
        tuple(
            (("Couleur", colour, code), ("Dimensions", size, size_code))
            for colour, code in (("Jaune", "JAU"), ("Bleue", "BLE"))
            for size, size_code in (("150 x 150 cm", "150"), ("150 x 250 cm", "250"))
        ),
    ),
)
RANGE_ARTICLE = "BOL-UZES"
RANGE_CELLS = (("Miel", "MIE", "12.00"), ("Vert", "VER", "12.00"), ("Bleu", "BLE", "13.50"))

_CUSTOMERS: tuple[dict[str, Any], ...] = (
    {
        "code": "AUBERGE",
        "name": "Auberge du Mont Ventoux",
        "category": 2,
        "pro": True,
        "street": "Route du Mont Ventoux",
        "postcode": "84410",
        "city": "Bédoin",
        "rep": 2,
        "contacts": (("Marion", "Chabert", "Gérante"), ("Fabien", "Reynaud", "Chef de cuisine")),
        "deliveries": (("Cuisine", "Chemin des Hautes Granges", "84410", "Bédoin"),),
    },
    {
        "code": "BISTROTLYON",
        "name": "Le Bistrot des Canuts",
        "category": 2,
        "pro": True,
        "street": "12 rue d'Austerlitz",
        "postcode": "69004",
        "city": "Lyon",
        "rep": 2,
        "contacts": (("Guillaume", "Bouvier", "Gérant"),),
    },
    {
        "code": "CAVEAUNIMES",
        "name": "Caveau des Arènes",
        "category": 2,
        "pro": True,
        "central": CENTRAL,
        "street": "4 rue des Arènes",
        "postcode": "30000",
        "city": "Nîmes",
        "rep": 1,
        "contacts": (("Noémie", "Pellegrin", "Gérante"),),
    },
    {
        "code": CENTRAL,
        "name": "Centrale des Épiceries du Sud",
        "category": 2,
        "pro": True,
        "street": "ZI des Estroublans, 9 rue de Berne",
        "postcode": "13127",
        "city": "Vitrolles",
        "rep": 2,
        "contacts": (("Hélène", "Audibert", "Responsable achats"),),
    },
    {
        "code": "EPICERIEAIX",
        "name": "Épicerie du Cours Mirabeau",
        "category": 2,
        "pro": True,
        "central": CENTRAL,
        "street": "22 cours Mirabeau",
        "postcode": "13100",
        "city": "Aix-en-Provence",
        "rep": 1,
        "contacts": (("Romain", "Isnard", "Gérant"), ("Léa", "Isnard", "Comptable")),
    },
    {
        "code": "FABREC",
        "name": "FABRE Camille",
        "category": 1,
        "pro": False,
        "dormant": True,
        "street": "8 rue des Teinturiers",
        "postcode": "84000",
        "city": "Avignon",
        "contacts": (("Camille", "Fabre", ""),),
    },
    {
        "code": "HOTELCASSIS",
        "name": "Hôtel Les Calanques",
        "category": 2,
        "pro": True,
        "street": "1 quai des Baux",
        "postcode": "13260",
        "city": "Cassis",
        "rep": 2,
        "contacts": (("Arnaud", "Daumas", "Directeur"),),
        "deliveries": (("Restaurant La Presqu'île", "Anse de Port-Miou", "13260", "Cassis"),),
    },
    {
        "code": "LEROYA",
        "name": "LEROY Antoine",
        "category": 1,
        "pro": False,
        "prospect": True,
        "street": "3 allée des Platanes",
        "postcode": "26110",
        "city": "Nyons",
        "contacts": (("Antoine", "Leroy", ""),),
    },
    {
        "code": "MARTINJ",
        "name": "MARTIN Julie",
        "category": 1,
        "pro": False,
        "street": "15 rue de la République",
        "postcode": "84200",
        "city": "Carpentras",
        "contacts": (("Julie", "Martin", ""),),
    },
    {
        "code": "ROUSSELP",
        "name": "ROUSSEL Pierre",
        "category": 1,
        "pro": False,
        "street": "27 rue Thiers",
        "postcode": "38000",
        "city": "Grenoble",
        "contacts": (("Pierre", "Roussel", ""),),
    },
)


_CATALOGUE_OF = {"EPICERIE": 2, "THES": 3, "CAVE": 3, "TABLE": 5, "JARDIN": 6}
"""Family → its level in the catalogue tree (``CL_No1`` of its articles)."""


def _email(first: str, last: str, domain: str) -> str:
    plain = {
        "é": "e",
        "è": "e",
        "ë": "e",
        "ê": "e",
        "ï": "i",
        "î": "i",
        "ô": "o",
        "ç": "c",
        "'": "",
        " ": "-",
    }
    text = f"{first}.{last}".lower()
    return "".join(plain.get(c, c) for c in text) + f"@{domain}"


def _phone(rng: random.Random, prefix: str) -> str:
    return " ".join([prefix, *(f"{rng.randint(10, 99)}" for _ in range(4))])


def _articles(rng: random.Random) -> list[ArticleSpec]:
    specs: list[ArticleSpec] = []
    serial = 1000
    for ref, design, family, price, cost, weight, description, brand in _PRODUCTS:
        serial += 1
        free: dict[str, Any] = {DESCRIPTION_FIELD: description, "Marque": brand}
        if family == "CAVE":
            free["Degré d'alcool"] = D({"PASTIS-ARTISAN": "45", "LIQUEUR-THYM": "35"}.get(ref, "14"))
        if ref in ("CALISSONS-12", "COFFRET-GOURMAND"):
            free["Nouveauté jusqu'au"] = BASE_TIME.replace(hour=0, minute=0, month=3)
        specs.append(
            ArticleSpec(
                ref,
                design,
                family,
                D(price),
                D(cost),
                published=ref != UNPUBLISHED,
                dormant=ref == DORMANT,
                weight=D(weight),
                barcode=ean13("376012345", serial),
                free=free,
                stats=("Provence", "Toute saison"),
                created_days_ago=rng.randint(200, 900),
                modified_days_ago=rng.randint(1, 150),
                catalogue=_CATALOGUE_OF.get(family, 0),
                bill_of_materials=ref == "COFFRET-GOURMAND",
            )
        )
    for master, prefix, base, price, cost, variants in _GROUPS:
        for attributes in variants:
            serial += 1
            suffix = "-".join(code for _, _, code in attributes)
            free = {
                MASTER_FIELD: master,
                DESCRIPTION_FIELD: f"{base}, fabriqué dans le Gard.",
                "Marque": "Tissages d'Uzès",
            }
            for (name_field, value_field), (name, value, _) in zip(
                ATTRIBUTE_FIELDS, attributes, strict=False
            ):
                free[name_field] = name
                free[value_field] = value
            big = any(code == "250" for _, _, code in attributes)
            specs.append(
                ArticleSpec(
                    f"{prefix}-{suffix}",
                    f"{base} {' '.join(v.lower() if n == 'Couleur' else v for n, v, _ in attributes)}",
                    "TABLE",
                    D(price) + (D(15) if big else 0),
                    D(cost) + (D(7) if big else 0),
                    weight=D("0.35"),
                    barcode=ean13("376012345", serial),
                    free=free,
                    stats=("Provence", "Toute saison"),
                    created_days_ago=rng.randint(200, 900),
                    modified_days_ago=rng.randint(1, 150),
                    catalogue=5,
                )
            )
    serial += 1
    specs.append(
        ArticleSpec(
            RANGE_ARTICLE,
            "Bol en céramique d'Uzès",
            "TABLE",
            D("12.00"),
            D("5.50"),
            weight=D("0.30"),
            barcode=ean13("376012345", serial),
            free={DESCRIPTION_FIELD: "Bol émaillé tourné à la main.", "Marque": "Poterie d'Uzès"},
            stats=("Provence", "Toute saison"),
            created_days_ago=500,
            modified_days_ago=20,
            catalogue=5,
            range_dimensions=(1, 0),
        )
    )
    return specs + special_articles()


def _catalogue(seeder: Seeder) -> None:
    levels = [
        (1, "Gastronomie", 0, 1),
        (2, "Épicerie salée et sucrée", 1, 2),
        (3, "Boissons", 1, 2),
        (4, "Maison", 0, 1),
        (5, "Linge et vaisselle", 4, 2),
        (6, "Jardin", 4, 2),
    ]
    seeder.add(
        F_CATALOGUE,
        [
            {"CL_No": no, "CL_Intitule": name, "CL_NoParent": parent, "CL_Niveau": level}
            for no, name, parent, level in levels
        ],
    )


def _stock(seeder: Seeder, rng: random.Random, specs: list[ArticleSpec]) -> None:
    rows = []
    for spec in specs:
        for depot in DEPOTS[:DEPOT_COUNT]:
            real = reserved = incoming = D(0)
            if spec.stock_managed and spec.reference not in NO_STOCK:
                low = depot.number == 2 and rng.random() < 0.2
                real = D(rng.randint(0, 4) if low else rng.randint(6, 120))
                reserved = min(real, D(rng.randint(0, 5))) if rng.random() < 0.3 else D(0)
                incoming = D(rng.choice((0, 0, 12, 24)))
            if spec.reference == NEGATIVE_STOCK:
                real, reserved = (D(4), D(6)) if depot.number == 1 else (D(0), D(0))
            rows.append(
                stock_row(
                    spec.reference,
                    depot.number,
                    real,
                    spec.cost,
                    reserved=reserved,
                    incoming=incoming,
                    principal=depot.number == 1,
                )
            )
    seed_stock(seeder, rows)


def _range(seeder: Seeder) -> None:
    """The bowl sold in three colours: range values, cell references, prices and stock."""
    seeder.add(
        F_ARTGAMME,
        [
            {"AR_Ref": RANGE_ARTICLE, "AG_No": number, "EG_Enumere": value, "AG_Type": 0}
            for number, (value, _, _) in enumerate(RANGE_CELLS, start=1)
        ],
    )
    seeder.add(
        F_ARTENUMREF,
        [
            {
                "AR_Ref": RANGE_ARTICLE,
                "AG_No1": number,
                "AG_No2": 0,
                "AE_Ref": f"{RANGE_ARTICLE}-{code}",
                "AE_CodeBarre": ean13("376012346", number),
                "AE_PrixAch": D("5.50"),
            }
            for number, (_, code, _) in enumerate(RANGE_CELLS, start=1)
        ],
    )
    seeder.add(
        F_TARIFGAM,
        [
            {
                "AR_Ref": RANGE_ARTICLE,
                "TG_RefCF": ref_cf,
                "AG_No1": number,
                "AG_No2": 0,
                "TG_Prix": D(price) if ref_cf == "a01" else round_money(D(price) * D("0.85")),
                "TG_Ref": f"{RANGE_ARTICLE}-{code}",
            }
            for number, (_, code, price) in enumerate(RANGE_CELLS, start=1)
            for ref_cf in ("a01", "a02")
        ],
    )
    seeder.add(
        F_GAMSTOCK,
        [
            {
                "AR_Ref": RANGE_ARTICLE,
                "AG_No1": number,
                "AG_No2": 0,
                "DE_No": depot.number,
                "GS_QteSto": D(10 * number + depot.number),
                "GS_MontSto": D(10 * number + depot.number) * D("5.50"),
            }
            for number in range(1, len(RANGE_CELLS) + 1)
            for depot in DEPOTS[:DEPOT_COUNT]
        ],
    )


def _bill_of_materials(seeder: Seeder) -> None:
    components = ("HUILE-NYONS-50", "TAPENADE-NOIRE", NEGATIVE_STOCK, "HERBES-PROV")
    seeder.add(
        F_NOMENCLAT,
        [
            {"AR_Ref": "COFFRET-GOURMAND", "NO_RefDet": ref, "NO_Qte": D(1), "NO_Type": 0, "NO_Ordre": order}
            for order, ref in enumerate(components, start=1)
        ],
    )


def _prices(seeder: Seeder, specs: list[ArticleSpec]) -> None:
    """Category prices, quantity breaks, packaging, family discounts, exception prices."""
    rows = []
    for spec in specs:
        if spec.family == SERVICES_FAMILY:
            continue
        wholesale = round_money(spec.price * D("0.85"))
        by_quantity = spec.reference == "HUILE-NYONS-50"
        for category, price in ((1, spec.price), (2, wholesale)):
            rows.append(
                {
                    "AR_Ref": spec.reference,
                    "AC_Categorie": category,
                    "CT_Num": None,
                    "AC_PrixVen": price,
                    "AC_Coef": (price / spec.cost).quantize(D("0.000001")),
                    "AC_QteMont": 3 if by_quantity and category == 1 else 0,
                }
            )
    exceptions = (
        ("HOTELCASSIS", "VIN-TAVEL-ROSE", "9.90"),
        ("HOTELCASSIS", "VIN-VENTOUX-RGE", "7.20"),
        (CENTRAL, "THE-VERT-MENTHE", "4.90"),
        ("CAVEAUNIMES", "THE-VERT-MENTHE", "4.70"),
    )
    rows += [
        {"AR_Ref": ref, "AC_Categorie": 0, "CT_Num": code, "AC_PrixVen": D(price)}
        for code, ref, price in exceptions
    ]
    seeder.add(F_ARTCLIENT, rows)
    seeder.add(
        F_TARIFQTE,
        [
            {"AR_Ref": "HUILE-NYONS-50", "TQ_RefCF": "a01", "TQ_BorneSup": D(bound), "TQ_PrixNet": D(price)}
            for bound, price in (("5", "14.50"), ("11", "13.80"), ("999999", "12.90"))
        ],
    )
    seeder.add(
        F_CONDITION,
        [
            {
                "AR_Ref": "VIN-VENTOUX-RGE",
                "CO_No": 1,
                "EC_Enumere": "Carton de 6",
                "EC_Quantite": D(6),
                "CO_Ref": "VIN-VENTOUX-RGE-C6",
                "CO_CodeBarre": ean13("376012347", 1),
                "CO_Principal": 0,
            }
        ],
    )
    seeder.add(
        F_TARIFCOND,
        [
            {"AR_Ref": "VIN-VENTOUX-RGE", "TC_RefCF": ref_cf, "CO_No": 1, "TC_Prix": D(price)}
            for ref_cf, price in (("a01", "50.70"), ("a02", "45.00"))
        ],
    )
    seeder.add(
        F_FAMTARIF,
        [
            {"FA_CodeFamille": family, "FT_Categorie": 2, "FT_Remise": D(discount), "FT_Coef": D(1)}
            for family, discount in (("CAVE", "5"), ("EPICERIE", "3"))
        ],
    )
    seeder.add(
        F_FAMCLIENT,
        [
            {"FA_CodeFamille": family, "CT_Num": code, "FC_Remise": D(discount)}
            for code, family, discount in (("AUBERGE", "EPICERIE", "8"), (CENTRAL, "THES", "10"))
        ],
    )


_SUPPLIERS = (
    ("FMOULIN", "Moulin du Ventoux", "84410", "Bédoin", ("HUILE-NYONS-50", "TAPENADE-NOIRE")),
    ("FRUCHER", "Rucher des Baronnies", "26170", "Buis-les-Baronnies", (NEGATIVE_STOCK,)),
    (
        "FDENTELLES",
        "Domaine des Dentelles",
        "84190",
        "Gigondas",
        ("VIN-VENTOUX-RGE", "VIN-TAVEL-ROSE", "VIN-CDR-BLANC"),
    ),
    ("FPOTERIE", "Poterie d'Uzès", "30700", "Uzès", (RANGE_ARTICLE,)),
    (
        "FPEPINIERE",
        "Pépinière du Luberon",
        "84160",
        "Lourmarin",
        ("PLANT-BASILIC", "PLANT-THYM", "PLANT-LAVANDE"),
    ),
)


def _customers(seeder: Seeder, rng: random.Random) -> None:
    accounts: list[dict[str, Any]] = []
    deliveries: list[dict[str, Any]] = []
    contacts: list[dict[str, Any]] = []
    for index, data in enumerate(_CUSTOMERS, start=1):
        code = data["code"]
        first, last, _ = data["contacts"][0]
        domain = "example.com" if data["pro"] else "example.org"
        email = _email(first, last, domain)
        company = siren(rng) if data["pro"] else ""
        accounts.append(
            {
                "CT_Num": code,
                "CT_Intitule": data["name"],
                "CT_Type": 0,
                "CG_NumPrinc": CUSTOMER_ACCOUNT,
                "CT_Classement": data["name"].upper()[:17],
                "CT_Qualite": "Professionnel" if data["pro"] else "Particulier",
                "CT_Contact": f"{first} {last}",
                "CT_Adresse": data["street"],
                "CT_CodePostal": data["postcode"],
                "CT_Ville": data["city"],
                "CT_Pays": "France",
                "CT_Telephone": f"04 90 {index:02d} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                "CT_EMail": email,
                "CT_Siret": siret(rng, company) if company else "",
                "CT_Identifiant": vat_number(company) if company else "",
                "CT_Ape": "5610A" if data["pro"] else "",
                "N_CatTarif": data["category"],
                "N_CatCompta": 1,
                "N_Risque": 1,
                "N_Period": 1,
                "N_Expedition": 1,
                "N_Condition": 1,
                "CT_Facture": 1,
                "CT_NumPayeur": code,
                "CO_No": data.get("rep", 0),
                "DE_No": home_depot(data["postcode"], DEPOTS[:DEPOT_COUNT]),
                "CT_Encours": D(5000) if data["pro"] else D(0),
                "CT_NumCentrale": data.get("central", ""),
                "CT_Sommeil": int(data.get("dormant", False)),
                "CT_Prospect": int(data.get("prospect", False)),
                "CT_DateCreate": BASE_TIME.replace(year=2023, month=1 + index % 12),
                "CT_DateMAJ": BASE_TIME.replace(day=2 + index % 3),
                "CT_LangueISO2": "fr",
                "Origine": "Salon" if index % 3 == 0 else "Site web",
                "Client depuis": BASE_TIME.replace(year=2023, month=1 + index % 12, hour=0, minute=0),
            }
        )
        places = ((data["name"], data["street"], data["postcode"], data["city"]), *data.get("deliveries", ()))
        for principal, (label, street, postcode, city) in enumerate(places):
            deliveries.append(
                {
                    "LI_No": len(deliveries) + 1,
                    "CT_Num": code,
                    "LI_Intitule": label[:35],
                    "LI_Adresse": street,
                    "LI_CodePostal": postcode,
                    "LI_Ville": city,
                    "LI_Pays": "France",
                    "LI_Contact": f"{first} {last}",
                    "LI_Principal": int(principal == 0),
                    "N_Expedition": 1,
                    "N_Condition": 1,
                    "LI_EMail": email,
                }
            )
        for first_name, last_name, role in data["contacts"]:
            contacts.append(
                {
                    "CT_Num": code,
                    "CT_No": len(contacts) + 1,
                    "CT_Nom": last_name.upper(),
                    "CT_Prenom": first_name,
                    "CT_Fonction": role,
                    "CT_EMail": _email(first_name, last_name, domain),
                    "N_Contact": 1,
                    "CT_Telephone": _phone(rng, "06"),
                }
            )
    for code, name in ((SHARED_ACCOUNT, "Clients internet"), (GUEST_ACCOUNT, "Clients internet invités")):
        accounts.append(
            {
                "CT_Num": code,
                "CT_Intitule": name,
                "CT_Type": 0,
                "CG_NumPrinc": "4111000",
                "CT_Classement": name.upper()[:17],
                "N_CatTarif": 1,
                "N_CatCompta": 1,
                "N_Risque": 1,
                "N_Period": 1,
                "N_Expedition": 1,
                "N_Condition": 1,
                "CT_NumPayeur": code,
                "DE_No": 1,
                "CT_Pays": "France",
                "CT_DateCreate": BASE_TIME,
                "CT_DateMAJ": BASE_TIME,
            }
        )
    for code, name, postcode, city, _ in _SUPPLIERS:
        accounts.append(
            {
                "CT_Num": code,
                "CT_Intitule": name,
                "CT_Type": 1,
                "CG_NumPrinc": "4010000",
                "CT_Classement": name.upper()[:17],
                "CT_CodePostal": postcode,
                "CT_Ville": city,
                "CT_Pays": "France",
                "N_CatCompta": 1,
                "N_Risque": 1,
                "N_Period": 1,
                "N_Expedition": 1,
                "N_Condition": 1,
                "CT_NumPayeur": code,
                "CT_DateCreate": BASE_TIME,
                "CT_DateMAJ": BASE_TIME,
            }
        )
    seeder.add(F_COMPTET, accounts)
    seeder.add(F_LIVRAISON, deliveries)
    seeder.add(F_CONTACTT, contacts)


def _supplier_links(seeder: Seeder, specs: list[ArticleSpec]) -> None:
    cost = {s.reference: s.cost for s in specs}
    seeder.add(
        F_ARTFOURNISS,
        [
            {
                "AR_Ref": ref,
                "CT_Num": code,
                "AF_RefFourniss": f"{code[1:5]}{index:03d}",
                "AF_PrixAch": cost[ref],
                "AF_Principal": 1,
                "AF_Conversion": D(1),
                "AF_ConvDiv": D(1),
                "AF_Colisage": D(1),
                "AF_QteMini": D(1),
            }
            for code, _, _, _, refs in _SUPPLIERS
            for index, ref in enumerate(refs, start=1)
        ],
    )


def _payment_terms(seeder: Seeder) -> None:
    """HOTELCASSIS pays 30 % by transfer on ordering, the balance by transfer at 30 days end of
    calendar month (``F_REGLEMENTT``); the other customers have no terms of their own."""
    term = {"CT_Num": "HOTELCASSIS", "N_Reglement": 2}
    seeder.add(
        F_REGLEMENTT,
        [
            {**term, "RT_Condition": 0, "RT_NbJour": 0, "RT_TRepart": 0, "RT_VRepart": D(30)},
            {**term, "RT_Condition": 1, "RT_NbJour": 30, "RT_TRepart": 1, "RT_VRepart": D(0)},
        ],
    )


def build_small(seeder: Seeder, seed: int) -> None:
    """Write the small company's catalogue, stock, prices and customers."""
    rng = random.Random(seed)
    seed_depots(seeder, DEPOTS[:DEPOT_COUNT])
    seed_families(seeder, FAMILIES)
    _catalogue(seeder)
    specs = _articles(rng)
    seed_articles(seeder, specs)
    seed_special_accounting(seeder)
    _stock(seeder, rng, specs)
    _range(seeder)
    _bill_of_materials(seeder)
    _customers(seeder, rng)
    _payment_terms(seeder)
    _prices(seeder, specs)
    _supplier_links(seeder, specs)
