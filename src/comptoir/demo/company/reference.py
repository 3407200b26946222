"""The reference-scale demo company (SPEC §11): a B2B wholesaler with eight stores.

About 15,000 articles, most of them variations grouped by a master reference with up to
three attribute pairs, plus packaging units; 126 families of which 45 hold articles;
8 warehouses with stock for every article; about 3,000 customers with delivery addresses
and contacts, homed to the warehouse of their postal code; two price categories, family
discounts, exception prices for about 5 % of the customers, quantity breaks, a purchasing
central with its members, range articles (shoes by size and colour) and gift boxes with a
bill of materials. Everything is drawn from one seeded random generator.
"""

from __future__ import annotations

import itertools
import random
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from comptoir.demo.company import names
from comptoir.demo.company.catalog_data import (
    AXES,
    CATALOGUE_GROUPS,
    FAMILIES,
    QUALIFIERS,
    UNUSED_FAMILIES,
    ProductFamily,
)
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
    F_TARIFCOND,
    F_TARIFGAM,
    F_TARIFQTE,
)
from comptoir.model import round_money

D = Decimal
CENT = D("0.01")
CENTRAL = "CENTRALECHR"
RANGE_FAMILY = "CHAUSSEC"


@dataclass(frozen=True, slots=True)
class ReferenceSize:
    """How big the reference company is (tests build a miniature of it)."""

    articles: int = 15_000
    customers: int = 3_000
    warehouses: int = 8
    range_articles: int = 20
    central_members: int = 80


@dataclass(slots=True)
class _Built:
    specs: list[ArticleSpec]
    packs: list[tuple[str, int, str, Decimal, Decimal]]
    """(article, packaging number, label, quantity, unit price)."""


def _price(rng: random.Random, low: int, high: int) -> Decimal:
    return (D(rng.randint(low * 100, high * 100)) / 100).quantize(CENT)


def _values(rng: random.Random, axis: str) -> list[tuple[str, str]]:
    _, values = AXES[axis]
    count = rng.randint(2, min(len(values), 5))
    start = rng.randint(0, len(values) - count)
    return list(values[start : start + count])


def _models(family: ProductFamily) -> Iterator[tuple[int, str]]:
    """(model number, model name), as many as needed: base × qualifier, then numbered series."""
    number = 0
    for series in itertools.count(1):
        for qualifier, base in itertools.product(QUALIFIERS, family.bases):
            number += 1
            yield number, f"{base} {qualifier}" + (f" {series}" if series > 1 else "")


def _family_articles(rng: random.Random, family: ProductFamily, quota: int) -> _Built:
    built = _Built([], [])
    models = _models(family)
    serial = FAMILIES.index(family) * 1_000_000
    while len(built.specs) < quota:
        number, model = next(models)
        master = f"{family.prefix}{number:04d}"
        price = _price(rng, *family.price)
        axes = family.axes if rng.random() > 0.08 else ()
        grids = [[(AXES[a][0], label, code) for label, code in _values(rng, a)] for a in axes]
        combos = list(itertools.product(*grids)) if grids else [()]
        if len(built.specs) + len(combos) > quota:
            grids, combos = [], [()]
        created = rng.randint(60, 1500)
        for combo in combos:
            serial += 1
            reference = "-".join([master, *(code for _, _, code in combo)])
            labels = " ".join(label.lower() if name == "Couleur" else label for name, label, _ in combo)
            step = sum(grid.index(part) for grid, part in zip(grids, combo, strict=True))
            variant_price = round_money(price * (1 + D(step) * D("0.04")))
            free: dict[str, Any] = {DESCRIPTION_FIELD: f"{model} — gamme {family.name.lower()}"}
            if combo:
                free[MASTER_FIELD] = master
                for (name_field, value_field), (name, label, _) in zip(ATTRIBUTE_FIELDS, combo, strict=False):
                    free[name_field] = name
                    free[value_field] = label
            built.specs.append(
                ArticleSpec(
                    reference,
                    f"{model} {labels}".strip(),
                    family.code,
                    variant_price,
                    round_money(variant_price * D(rng.randint(45, 62)) / 100),
                    published=rng.random() > 0.03,
                    dormant=rng.random() < 0.01,
                    weight=(D(rng.randint(5, 2500)) / 1000).quantize(D("0.001")),
                    barcode=ean13("376", serial % 10**9 + 10**8),
                    unit=family.unit,
                    free=free,
                    stats=(
                        rng.choice(("France", "Italie", "Espagne", "Portugal", "Allemagne")),
                        "Toute saison",
                    ),
                    created_days_ago=created,
                    modified_days_ago=rng.randint(0, min(created, 400)),
                    catalogue=_group_of(family.code),
                )
            )
            if family.packaging and len(reference) <= 15:
                for pack, quantity in enumerate((6, 24), start=1):
                    built.packs.append((reference, pack, f"Carton de {quantity}", D(quantity), variant_price))
    return built


def _group_of(family_code: str) -> int:
    return next(i for i, (_, codes) in enumerate(CATALOGUE_GROUPS, start=1) if family_code in codes)


def _range_articles(rng: random.Random, count: int) -> list[ArticleSpec]:
    return [
        ArticleSpec(
            f"CHA-GAM{n:03d}",
            f"Chaussure de sécurité {QUALIFIERS[n % len(QUALIFIERS)]} (gamme)",
            RANGE_FAMILY,
            _price(rng, 45, 95),
            _price(rng, 20, 40),
            weight=D("1.2"),
            barcode=ean13("377", n),
            unit=8,
            free={DESCRIPTION_FIELD: "Chaussure de sécurité S2 antidérapante, par pointure et couleur."},
            created_days_ago=rng.randint(60, 900),
            modified_days_ago=rng.randint(0, 60),
            catalogue=_group_of(RANGE_FAMILY),
            range_dimensions=(3, 1),
        )
        for n in range(1, count + 1)
    ]


def _seed_ranges(seeder: Seeder, rng: random.Random, articles: Sequence[ArticleSpec], depots: int) -> None:
    sizes = [str(p) for p in range(38, 46)]
    colours = ["Noir", "Blanc"]
    values: list[dict[str, Any]] = []
    cells: list[dict[str, Any]] = []
    prices: list[dict[str, Any]] = []
    stock: list[dict[str, Any]] = []
    number = 0
    for article in articles:
        size_numbers = []
        for size in sizes:
            number += 1
            size_numbers.append((number, size))
            values.append({"AR_Ref": article.reference, "AG_No": number, "EG_Enumere": size, "AG_Type": 0})
        colour_numbers = []
        for colour in colours:
            number += 1
            colour_numbers.append((number, colour))
            values.append({"AR_Ref": article.reference, "AG_No": number, "EG_Enumere": colour, "AG_Type": 1})
        for (ag1, size), (ag2, colour) in itertools.product(size_numbers, colour_numbers):
            cell = f"{article.reference}-{size}{colour[0]}"
            cells.append(
                {
                    "AR_Ref": article.reference,
                    "AG_No1": ag1,
                    "AG_No2": ag2,
                    "AE_Ref": cell,
                    "AE_CodeBarre": ean13("378", ag1 * 100 + ag2),
                    "AE_PrixAch": article.cost,
                }
            )
            for category, factor in (("a01", D(1)), ("a02", D("0.82"))):
                prices.append(
                    {
                        "AR_Ref": article.reference,
                        "TG_RefCF": category,
                        "AG_No1": ag1,
                        "AG_No2": ag2,
                        "TG_Prix": round_money(article.price * factor),
                        "TG_Ref": cell,
                    }
                )
            for depot in range(1, depots + 1):
                quantity = D(rng.randint(0, 12))
                stock.append(
                    {
                        "AR_Ref": article.reference,
                        "AG_No1": ag1,
                        "AG_No2": ag2,
                        "DE_No": depot,
                        "GS_QteSto": quantity,
                        "GS_MontSto": quantity * article.cost,
                    }
                )
    seeder.add(F_ARTGAMME, values)
    seeder.add(F_ARTENUMREF, cells)
    seeder.add(F_TARIFGAM, prices)
    seeder.add(F_GAMSTOCK, stock)


def _stock_rows(rng: random.Random, specs: Sequence[ArticleSpec], depots: int) -> Iterator[dict[str, Any]]:
    for spec in specs:
        for depot in range(1, depots + 1):
            real = reserved = incoming = D(0)
            if spec.stock_managed:
                real = D(0) if rng.random() < 0.1 else D(rng.randint(1, 240))
                if rng.random() < 0.2:
                    reserved = D(rng.randint(0, 12))
                    if rng.random() > 0.03:
                        reserved = min(reserved, real)
                if rng.random() < 0.1:
                    incoming = D(rng.choice((12, 24, 48)))
            yield stock_row(
                spec.reference,
                depot,
                real,
                spec.cost,
                reserved=reserved,
                incoming=incoming,
                principal=depot == 1,
            )


def _prices(
    seeder: Seeder,
    rng: random.Random,
    specs: Sequence[ArticleSpec],
    customers: Sequence[str],
    packs: Sequence[tuple[str, int, str, Decimal, Decimal]],
) -> None:
    sellable = [s for s in specs if s.family != SERVICES_FAMILY]
    breaks = {s.reference for s in rng.sample(sellable, max(1, len(sellable) // 50))}

    def category_rows() -> Iterator[dict[str, Any]]:
        for spec in sellable:
            for category, factor in ((1, D(1)), (2, D("0.82"))):
                price = round_money(spec.price * factor)
                yield {
                    "AR_Ref": spec.reference,
                    "AC_Categorie": category,
                    "CT_Num": None,
                    "AC_PrixVen": price,
                    "AC_Coef": (price / spec.cost).quantize(D("0.000001")) if spec.cost else D(0),
                    "AC_QteMont": 3 if category == 2 and spec.reference in breaks else 0,
                }

    def exception_rows() -> Iterator[dict[str, Any]]:
        chosen = rng.sample(list(customers), max(1, len(customers) // 20))
        for code in [CENTRAL, *sorted(chosen)]:
            for spec in sorted(
                rng.sample(sellable, min(len(sellable), rng.randint(3, 10))), key=lambda s: s.reference
            ):
                yield {
                    "AR_Ref": spec.reference,
                    "AC_Categorie": 0,
                    "CT_Num": code,
                    "AC_PrixVen": round_money(spec.price * D("0.78")),
                }

    seeder.add(F_ARTCLIENT, itertools.chain(category_rows(), exception_rows()))
    by_ref = {s.reference: s for s in sellable}
    seeder.add(
        F_TARIFQTE,
        (
            {
                "AR_Ref": ref,
                "TQ_RefCF": "a02",
                "TQ_BorneSup": D(bound),
                "TQ_PrixNet": round_money(by_ref[ref].price * D("0.82") * factor),
            }
            for ref in sorted(breaks)
            for bound, factor in (("9", D(1)), ("49", D("0.95")), ("999999", D("0.9")))
        ),
    )
    families = [f.code for f in FAMILIES]
    seeder.add(
        F_FAMTARIF,
        (
            {"FA_CodeFamille": code, "FT_Categorie": 2, "FT_Remise": D(rng.randint(3, 12)), "FT_Coef": D(1)}
            for code in sorted(rng.sample(families, 15))
        ),
    )
    discounted = sorted(rng.sample(list(customers), max(1, len(customers) // 10)))
    seeder.add(
        F_FAMCLIENT,
        (
            {"FA_CodeFamille": family, "CT_Num": code, "FC_Remise": D(rng.randint(2, 15))}
            for code in [CENTRAL, *discounted]
            for family in sorted(rng.sample(families, 5 if code == CENTRAL else rng.randint(1, 3)))
        ),
    )
    seeder.add(
        F_CONDITION,
        (
            {
                "AR_Ref": ref,
                "CO_No": number,
                "EC_Enumere": label,
                "EC_Quantite": quantity,
                "CO_Ref": f"{ref}-C{int(quantity)}",
                "CO_CodeBarre": "",
                "CO_Principal": int(number == 1),
            }
            for ref, number, label, quantity, _ in packs
        ),
    )
    seeder.add(
        F_TARIFCOND,
        (
            {
                "AR_Ref": ref,
                "TC_RefCF": category,
                "CO_No": number,
                "TC_Prix": round_money(price * quantity * factor),
            }
            for ref, number, _, quantity, price in packs
            for category, factor in (("a01", D("0.95")), ("a02", D("0.8")))
        ),
    )


def _email_of(first: str, last: str, rng: random.Random) -> str:
    plain = str.maketrans("éèêëàâîïôöûüç' ", "eeeeaaiioouuc--")
    return f"{first}.{last}{rng.randint(1, 999)}".lower().translate(plain) + rng.choice(
        ("@example.com", "@example.org", "@example.net")
    )


def _phone(rng: random.Random, prefix: str) -> str:
    return " ".join([prefix, *(f"{rng.randint(10, 99)}" for _ in range(4))])


def _customers(seeder: Seeder, rng: random.Random, size: ReferenceSize) -> list[str]:
    depots = DEPOTS[: size.warehouses]
    accounts: list[dict[str, Any]] = []
    deliveries: list[dict[str, Any]] = []
    contacts: list[dict[str, Any]] = []
    codes = [f"C{n:05d}" for n in range(1, size.customers + 1)]
    members = set(rng.sample(codes, min(size.central_members, len(codes))))

    def account(
        code: str,
        name: str,
        town: tuple[str, str, str],
        street: str,
        pro: bool,
        first: str,
        last: str,
        **extra: Any,
    ) -> None:
        company = siren(rng) if pro else ""
        email = _email_of(first, last, rng) if rng.random() > 0.08 else ""
        accounts.append(
            {
                "CT_Num": code,
                "CT_Intitule": name,
                "CT_Type": 0,
                "CG_NumPrinc": CUSTOMER_ACCOUNT,
                "CT_Classement": name.upper(),
                "CT_Qualite": "Professionnel" if pro else "Particulier",
                "CT_Contact": f"{first} {last}",
                "CT_Adresse": street,
                "CT_CodePostal": town[1],
                "CT_Ville": town[0],
                "CT_CodeRegion": town[2],
                "CT_Pays": "France",
                "CT_Telephone": _phone(rng, "04"),
                "CT_EMail": email,
                "CT_Siret": siret(rng, company) if company else "",
                "CT_Identifiant": vat_number(company) if company else "",
                "CT_Ape": "5610A" if pro else "",
                "N_CatTarif": 2 if pro and rng.random() < 0.45 else 1,
                "N_CatCompta": 1,
                "N_Risque": 1,
                "N_Period": 1,
                "N_Expedition": 1,
                "N_Condition": 1,
                "CT_Facture": 1,
                "CT_NumPayeur": code,
                "CO_No": rng.choice((1, 2)),
                "DE_No": home_depot(town[1], depots),
                "CT_Encours": D(rng.choice((0, 1500, 3000, 8000))),
                "CT_Sommeil": int(rng.random() < 0.02),
                "CT_Prospect": int(rng.random() < 0.01),
                "CT_DateCreate": BASE_TIME.replace(year=rng.randint(2012, 2025)),
                "CT_DateMAJ": BASE_TIME.replace(month=1, day=rng.randint(1, 4)).replace(
                    year=rng.choice((2025, 2026))
                ),
                "CT_LangueISO2": "fr",
                "Origine": rng.choice(("Salon", "Site web", "Prospection", "Recommandation")),
                **extra,
            }
        )
        places = [(name, street, town)]
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            other = rng.choice(names.TOWNS)
            places.append(
                (
                    f"{rng.choice(names.DELIVERY_LABELS)}",
                    f"{rng.randint(1, 120)} {rng.choice(names.STREETS)}",
                    other,
                )
            )
        for index, (label, where, place) in enumerate(places):
            deliveries.append(
                {
                    "LI_No": len(deliveries) + 1,
                    "CT_Num": code,
                    "LI_Intitule": label,
                    "LI_Adresse": where,
                    "LI_CodePostal": place[1],
                    "LI_Ville": place[0],
                    "LI_CodeRegion": place[2],
                    "LI_Pays": "France",
                    "LI_Contact": f"{first} {last}",
                    "LI_Principal": int(index == 0),
                    "N_Expedition": 1,
                    "N_Condition": 1,
                    "LI_EMail": email,
                }
            )
        people = [(first, last, rng.choice(names.CONTACT_ROLES) if pro else "")]
        for _ in range(rng.choice((0, 1, 1, 2)) if pro else 0):
            people.append(
                (rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES), rng.choice(names.CONTACT_ROLES))
            )
        for index, (given, family_name, role) in enumerate(people):
            contacts.append(
                {
                    "CT_Num": code,
                    "CT_No": len(contacts) + 1,
                    "CT_Nom": family_name.upper(),
                    "CT_Prenom": given,
                    "CT_Fonction": role,
                    "CT_EMail": email if index == 0 else _email_of(given, family_name, rng),
                    "N_Contact": 1,
                    "CT_Telephone": _phone(rng, "06"),
                }
            )

    account(
        CENTRAL,
        "Centrale d'achats CHR du Sud",
        names.TOWNS[10],
        "ZI des Estroublans",
        True,
        "Hélène",
        "Audibert",
    )
    for code in codes:
        town = rng.choice(names.TOWNS)
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        street = f"{rng.randint(1, 120)} {rng.choice(names.STREETS)}"
        pro = rng.random() < 0.85
        if pro:
            kind = rng.choice(names.BUSINESS_KINDS)
            label = rng.choice(names.BUSINESS_NAMES) if rng.random() < 0.6 else f"Chez {last}"
            name = f"{kind} {label}"
        else:
            name = f"{last.upper()} {first}"
        account(code, name, town, street, pro, first, last, CT_NumCentrale=CENTRAL if code in members else "")
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
    suppliers = [f"F{n:04d}" for n in range(1, 41)]
    for code in suppliers:
        town = rng.choice(names.TOWNS)
        accounts.append(
            {
                "CT_Num": code,
                "CT_Intitule": f"{rng.choice(('Établissements', 'Manufacture', 'Société', 'Atelier'))} "
                f"{rng.choice(names.LAST_NAMES)}",
                "CT_Type": 1,
                "CG_NumPrinc": "4010000",
                "CT_CodePostal": town[1],
                "CT_Ville": town[0],
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
    return codes


def _bills_of_materials(seeder: Seeder, rng: random.Random, specs: Sequence[ArticleSpec]) -> None:
    grocery = [s.reference for s in specs if s.family in ("CONSERVE", "EPICES", "CONFIS")]
    boxes = [s for s in specs if s.family == "CONFIS" and MASTER_FIELD not in s.free][:30]
    for box in boxes:
        box.bill_of_materials = True
    seeder.add(
        F_NOMENCLAT,
        (
            {"AR_Ref": box.reference, "NO_RefDet": part, "NO_Qte": D(rng.randint(1, 3)), "NO_Ordre": order}
            for box in boxes
            for order, part in enumerate(
                sorted(rng.sample([g for g in grocery if g != box.reference], 3)), start=1
            )
        ),
    )


def _family_codes(labels: Sequence[str]) -> list[tuple[str, str]]:
    """Family codes made from their names (``Mobilier de terrasse`` → ``MOBILIERD``), unique."""
    taken: set[str] = {f.code for f in FAMILIES}
    codes = []
    for label in labels:
        plain = unicodedata.normalize("NFKD", label)
        letters = "".join(c for c in plain if c.isalpha() and c.isascii()).upper()
        code = letters[:9]
        suffix = 1
        while code in taken:
            suffix += 1
            code = f"{letters[:8]}{suffix}"
        taken.add(code)
        codes.append((code, label))
    return codes


def build_reference(seeder: Seeder, seed: int, size: ReferenceSize) -> None:
    """Write the reference company's catalogue, stock, prices and customers."""
    rng = random.Random(seed)
    depots = DEPOTS[: size.warehouses]
    seed_depots(seeder, depots)
    families = [Family(f.code, f.name, f.tax) for f in FAMILIES] + [
        Family(SERVICES_FAMILY, "Services et frais", "C20")
    ]
    taxes = ("C20", "C20", "C20", "C05", "C10")
    families += [
        Family(f"ZF{n:03d}", name, taxes[n % len(taxes)], used=False)
        for n, name in enumerate(UNUSED_FAMILIES, start=1)
    ]
    seed_families(seeder, families)
    groups = [
        {"CL_No": n, "CL_Intitule": name, "CL_NoParent": 0, "CL_Niveau": 1}
        for n, (name, _) in enumerate(CATALOGUE_GROUPS, start=1)
    ]
    seeder.add(F_CATALOGUE, groups)
    specials = special_articles()
    ranges = _range_articles(rng, size.range_articles)
    room = max(len(FAMILIES), size.articles - len(specials) - len(ranges))
    quota, extra = divmod(room, len(FAMILIES))
    specs: list[ArticleSpec] = []
    packs: list[tuple[str, int, str, Decimal, Decimal]] = []
    for index, family in enumerate(FAMILIES):
        built = _family_articles(rng, family, quota + (1 if index < extra else 0))
        specs += built.specs
        packs += built.packs
    _bills_of_materials(seeder, rng, specs)
    catalogue = specs + ranges + specials
    seed_articles(seeder, catalogue)
    seed_special_accounting(seeder)
    seed_stock(seeder, _stock_rows(rng, catalogue, size.warehouses))
    _seed_ranges(seeder, rng, ranges, size.warehouses)
    customers = _customers(seeder, rng, size)
    _prices(seeder, rng, specs + ranges, customers, packs)
    suppliers = [f"F{n:04d}" for n in range(1, 41)]
    seeder.add(
        F_ARTFOURNISS,
        (
            {
                "AR_Ref": s.reference,
                "CT_Num": suppliers[i % len(suppliers)],
                "AF_RefFourniss": f"FR{i:07d}",
                "AF_PrixAch": s.cost,
                "AF_Principal": 1,
                "AF_Conversion": D(1),
                "AF_ConvDiv": D(1),
                "AF_Colisage": D(1),
                "AF_QteMini": D(1),
            }
            for i, s in enumerate(specs + ranges)
        ),
    )
