"""The Sage 100c Gestion commerciale tables, with Sage's own names and types.

A faithful replica of the tables comptoir reads and writes, for SQLite, PostgreSQL and SQL
Server: the same table and column names, ``decimal(24,6)`` amounts, ``smallint`` flags and
enums, naive local ``datetime`` values, and the technical trailer Sage puts on every table
(``cbMarq`` identity primary key, ``cbCreateur``, ``cbModification``…). The ``P_`` tables are
fixed-slot parameter lists keyed by ``cbIndice`` (1-based).

Left out on purpose: the computed ``cb<Column>`` varbinary shadows of indexed text columns
(SQL Server computes them; nobody may insert them). The columns of recent versions
(``cbCreation``, ``cbCreationUser``, ``DO_Conversion``, ``DO_PieceAcompte``) are marked
``RECENT``: the adapter writes them only where the database has them. The integer twins of
foreign keys (``cbCO_No``, ``cbDE_No``…) are kept: writers set them to the key, or NULL when the key is 0.

Business keys are unique indexes, as in Sage (the primary key is always ``cbMarq``).
"Informations libres" are extra columns added at run time from ``cbSysLibre``: see
:mod:`comptoir.erp.sage100.freefields`.

Column lists follow the Sage 100c v3.10 data model plus the later additions of v11/v12
(``DO_TotalHTNet``, ``DO_TotalTTC``, ``DO_NetAPayer``, ``DO_MontantRegle``…); see
docs/erp/sage100.md for sources.

Each table is described (its SQLAlchemy ``Table`` built) when first used, then kept: describing
all 47, some 2,000 columns, took a tenth of a second of every start-up, and a job uses a third
of them. ``F_ARTICLE`` and the others read as plain module attributes; ``metadata`` and
``SAGE_TABLES`` describe them all.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Identity, Index, MetaData, PrimaryKeyConstraint, Table
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.types import TypeEngine

from comptoir.erp.sage100 import types as t
from comptoir.erp.sage100.text import TEXT_RULE, TextRule

if TYPE_CHECKING:
    from comptoir.erp.sage100.freefields import FreeField

_metadata = MetaData()
_DESCRIBE: dict[str, Callable[[], Table]] = {}
"""Table name → the function describing it (see ``table``)."""
_describing = threading.Lock()

metadata: MetaData
"""Every table of the replica (using it describes them all)."""
SAGE_TABLES: tuple[Table, ...]
"""Every table of the replica, in dependency order (using it describes them all)."""

_RANGE = re.compile(r"\{(\d+)\.\.(\d+)\}")


def _expand(name: str) -> list[str]:
    """``AR_Stat{01..05}`` → AR_Stat01 … AR_Stat05 (zero-padded like the first bound)."""
    parts = _RANGE.split(name)
    pieces: list[list[str]] = [[parts[0]]]
    for i in range(1, len(parts), 3):
        low, high, rest = parts[i], parts[i + 1], parts[i + 2]
        width = len(low)
        pieces.append([str(n).zfill(width) for n in range(int(low), int(high) + 1)])
        pieces.append([rest])
    return ["".join(combo) for combo in itertools.product(*pieces)]


def _type(code: str) -> TypeEngine[Any]:
    simple: dict[str, TypeEngine[Any]] = {
        "si": t.smallint(),
        "int": t.integer(),
        "D": t.SageAmount(),
        "dt": t.sage_datetime(),
        "sdt": t.sage_smalldatetime(),
        "guid": t.guid(),
    }
    if code in simple:
        return simple[code]
    match = re.fullmatch(r"(vc|nvc|ch|vb)(\d+)", code)
    if not match:
        raise ValueError(f"unknown column type {code!r}")
    kind, length = match.group(1), int(match.group(2))
    builders: dict[str, Callable[[int], TypeEngine[Any]]] = {
        "vc": t.varchar,
        "nvc": t.nvarchar,
        "ch": t.char,
        "vb": t.varbinary,
    }
    return builders[kind](length)


_RULES = {"~": TextRule.CUT, "#": TextRule.EXACT}
"""Text rule marks of the column specs (a text column without a mark is ``REFUSE``)."""


def _columns(spec: str) -> list[Column[Any]]:
    """Columns from ``NAME:TYPE[+cb][~|#][!]`` items.

    ``!`` = NOT NULL, ``+cb`` = integer twin, ``~`` = free text cut to the column's length,
    ``#`` = key written exactly or refused (see :class:`~comptoir.erp.sage100.text.TextRule`).
    """
    columns: list[Column[Any]] = []
    for item in (part.strip() for part in spec.replace("\n", " ").split(",")):
        if not item:
            continue
        name, code = item.split(":")
        not_null = code.endswith("!")
        code = code.rstrip("!")
        rule = _RULES.get(code[-1])
        code = code[:-1] if rule else code
        twin = code.endswith("+cb")
        code = code.removesuffix("+cb")
        info = {TEXT_RULE: rule} if rule else {}
        for full in _expand(name):
            columns.append(Column(full, _type(code), nullable=not not_null, info=dict(info)))
            if twin:
                columns.append(Column(f"cb{full}", _type(code), nullable=True))
    return columns


def _trailer() -> list[Column[Any]]:
    return [
        Column("cbProt", t.smallint()),
        Column("cbMarq", t.integer(), Identity(start=1), primary_key=True),
        Column("cbCreateur", t.char(4), info={TEXT_RULE: TextRule.EXACT}),
        Column("cbModification", t.sage_smalldatetime()),
        Column("cbReplication", t.integer()),
        Column("cbFlag", t.smallint()),
    ]


def _table(
    name: str,
    spec: str,
    *,
    unique: Sequence[Sequence[str]] = (),
    index: Sequence[Sequence[str]] = (),
    parameter: bool = False,
) -> None:
    """Declare a Sage table, described when first used (``_describe``)."""
    _DESCRIBE[name] = partial(_describe, name, spec, unique, index, parameter)


def _describe(
    name: str, spec: str, unique: Sequence[Sequence[str]], index: Sequence[Sequence[str]], parameter: bool
) -> Table:
    """A Sage table: its columns, the trailer (only ``cbMarq`` on ``P_`` tables) and indexes."""
    trailer = (
        [Column("cbMarq", t.integer(), Identity(start=1), primary_key=True)] if parameter else _trailer()
    )
    table = Table(name, _metadata, *_columns(spec), *trailer)
    for cols in unique:
        Index(f"UK_{name}_{'_'.join(cols)}", *(table.c[c] for c in cols), unique=True)
    for cols in index:
        Index(f"IX_{name}_{'_'.join(cols)}", *(table.c[c] for c in cols))
    return table


# --- articles ------------------------------------------------------------------------------

F_FAMILLE: Table
_table(
    "F_FAMILLE",
    """FA_CodeFamille:vc11#!, FA_Type:si, FA_Intitule:vc35~, FA_UniteVen:si, FA_Coef:D, FA_SuiviStock:si,
    FA_Garantie:si, FA_Central:vc11#, FA_Stat{01..05}:vc21, FA_CodeFiscal:vc25, FA_Pays:vc35~,
    FA_UnitePoids:si, FA_Escompte:si, FA_Delai:si, FA_HorsStat:si, FA_VteDebit:si, FA_NotImp:si,
    FA_Frais{01..03}FR_Denomination:vc21~, FA_Frais{01..03}FR_Rem{01..03}REM_Valeur:D,
    FA_Frais{01..03}FR_Rem{01..03}REM_Type:si, FA_Contremarque:si, FA_FactPoids:si, FA_FactForfait:si,
    FA_Publie:si, FA_RacineRef:vc19#, FA_RacineCB:vc19, CL_No{1..4}:int+cb, FA_Nature:si, FA_NbColis:si,
    FA_SousTraitance:si, FA_Fictif:si, FA_Criticite:si""",
    unique=[("FA_CodeFamille",)],
)

F_CATALOGUE: Table
_table(
    "F_CATALOGUE",
    "CL_No:int, CL_Intitule:vc35~!, CL_Code:vc3#, CL_Stock:si, CL_NoParent:int+cb, CL_Niveau:si",
    unique=[("CL_No",)],
)

F_ARTICLE: Table
_table(
    "F_ARTICLE",
    """AR_Ref:vc19#!, AR_Design:vc69~, FA_CodeFamille:vc11#!, AR_Substitut:vc19#, AR_Raccourci:vc7,
    AR_Garantie:si, AR_UnitePoids:si, AR_PoidsNet:D, AR_PoidsBrut:D, AR_UniteVen:si, AR_PrixAch:D,
    AR_Coef:D, AR_PrixVen:D, AR_PrixTTC:si, AR_Gamme1:si, AR_Gamme2:si, AR_SuiviStock:si, AR_Nomencl:si,
    AR_Stat{01..05}:vc21, AR_Escompte:si, AR_Delai:si, AR_HorsStat:si, AR_VteDebit:si, AR_NotImp:si,
    AR_Sommeil:si, AR_Langue1:vc69~, AR_Langue2:vc69~, AR_EdiCode:vc45, AR_CodeBarre:vc19,
    AR_CodeFiscal:vc25, AR_Pays:vc35~, AR_Frais{01..03}FR_Denomination:vc21~,
    AR_Frais{01..03}FR_Rem{01..03}REM_Valeur:D, AR_Frais{01..03}FR_Rem{01..03}REM_Type:si,
    AR_Condition:si, AR_PUNet:D, AR_Contremarque:si, AR_FactPoids:si, AR_FactForfait:si,
    AR_DateCreation:sdt, AR_SaisieVar:si, AR_Transfere:si, AR_Publie:si, AR_DateModif:sdt,
    AR_Photo:vc259, AR_PrixAchNouv:D, AR_CoefNouv:D, AR_PrixVenNouv:D, AR_DateApplication:sdt,
    AR_CoutStd:D, AR_QteComp:D, AR_QteOperatoire:D, CO_No:int+cb, AR_Prevision:si, CL_No{1..4}:int+cb,
    AR_Type:si, RP_CodeDefaut:vc11#, AR_Nature:si, AR_DelaiFabrication:si, AR_NbColis:si,
    AR_DelaiPeremption:si, AR_DelaiSecurite:si, AR_Fictif:si, AR_SousTraitance:si, AR_TypeLancement:si,
    AR_Cycle:si, AR_Criticite:si, AR_InterdireCommande:si, AR_Exclure:si""",
    unique=[("AR_Ref",)],
    index=[("FA_CodeFamille",), ("AR_DateModif",)],
)

F_ARTCOMPTA: Table
_table(
    "F_ARTCOMPTA",
    """AR_Ref:vc19#!, ACP_Type:si, ACP_Champ:si, ACP_ComptaCPT_CompteG:vc13#, ACP_ComptaCPT_CompteA:vc13#,
    ACP_ComptaCPT_Taxe{1..3}:vc5#, ACP_TypeFacture:si, ACP_ComptaCPT_Date{1..3}:dt,
    ACP_ComptaCPT_TaxeAnc{1..3}:vc5#""",
    unique=[("AR_Ref", "ACP_Type", "ACP_Champ")],
)

F_FAMCOMPTA: Table
_table(
    "F_FAMCOMPTA",
    """FA_CodeFamille:vc11#!, FCP_Type:si, FCP_Champ:si, FCP_ComptaCPT_CompteG:vc13#,
    FCP_ComptaCPT_CompteA:vc13#, FCP_ComptaCPT_Taxe{1..3}:vc5#, FCP_TypeFacture:si,
    FCP_ComptaCPT_Date{1..3}:dt, FCP_ComptaCPT_TaxeAnc{1..3}:vc5#""",
    unique=[("FA_CodeFamille", "FCP_Type", "FCP_Champ")],
)

F_DEPOT: Table
_table(
    "F_DEPOT",
    """DE_No:int, DE_Intitule:vc35~!, DE_Adresse:vc35~, DE_Complement:vc35~, DE_CodePostal:vc9,
    DE_Ville:vc35~, DE_Contact:vc35~, DE_Principal:si, DE_CatCompta:si, DE_Region:vc25~, DE_Pays:vc35~,
    DE_EMail:vc69, DE_Code:vc9#, DE_Telephone:vc21, DE_Telecopie:vc21, DE_Replication:int, DP_NoDefaut:int+cb,
    DE_Exclure:si, DE_Souche{01..03}:si""",
    unique=[("DE_No",)],
)

F_ARTSTOCK: Table
_table(
    "F_ARTSTOCK",
    """AR_Ref:vc19#!, DE_No:int!, AS_QteMini:D, AS_QteMaxi:D, AS_MontSto:D, AS_QteSto:D, AS_QteRes:D,
    AS_QteCom:D, AS_Principal:si, AS_QteResCM:D, AS_QteComCM:D, AS_QtePrepa:D, DP_NoPrincipal:int+cb,
    DP_NoControle:int+cb, AS_QteAControler:D, AS_Mouvemente:si""",
    unique=[("AR_Ref", "DE_No")],
)

F_CONDITION: Table
_table(
    "F_CONDITION",
    """AR_Ref:vc19#!, CO_No:int, EC_Enumere:vc21~, EC_Quantite:D, CO_Ref:vc19#, CO_CodeBarre:vc19,
    CO_Principal:si""",
    unique=[("AR_Ref", "CO_No")],
    index=[("CO_Ref",)],
)

F_ARTGAMME: Table
_table(
    "F_ARTGAMME",
    "AR_Ref:vc19#!, AG_No:int, EG_Enumere:vc21~, AG_Type:si",
    unique=[("AG_No",)],
    index=[("AR_Ref",)],
)

F_ARTENUMREF: Table
_table(
    "F_ARTENUMREF",
    """AR_Ref:vc19#!, AG_No1:int, AG_No2:int, AE_Ref:vc19#, AE_PrixAch:D, AE_CodeBarre:vc19,
    AE_PrixAchNouv:D, AE_EdiCode:vc45, AE_Sommeil:si""",
    unique=[("AR_Ref", "AG_No1", "AG_No2")],
    index=[("AE_Ref",)],
)

F_GAMSTOCK: Table
_table(
    "F_GAMSTOCK",
    """AR_Ref:vc19#!, AG_No1:int, AG_No2:int, DE_No:int!, GS_MontSto:D, GS_QteSto:D, GS_QteRes:D,
    GS_QteCom:D, GS_QteResCM:D, GS_QteComCM:D, GS_QteMini:D, GS_QteMaxi:D, GS_QtePrepa:D,
    DP_NoPrincipal:int+cb, DP_NoControle:int+cb, GS_QteAControler:D""",
    unique=[("AR_Ref", "AG_No1", "AG_No2", "DE_No")],
)

F_TARIFGAM: Table
_table(
    "F_TARIFGAM",
    """AR_Ref:vc19#!, TG_RefCF:vc17#, AG_No1:int, AG_No2:int, TG_Prix:D, TG_Ref:vc19#, TG_CodeBarre:vc19,
    TG_PrixNouv:D""",
    unique=[("AR_Ref", "TG_RefCF", "AG_No1", "AG_No2")],
)

F_NOMENCLAT: Table
_table(
    "F_NOMENCLAT",
    """AR_Ref:vc19#!, NO_RefDet:vc19#!, NO_Qte:D, AG_No1:int, AG_No2:int, NO_Type:si, NO_Repartition:D,
    NO_Operation:vc11#, NO_Commentaire:vc69~, DE_No:int+cb, NO_Ordre:si, AG_No1Comp:int, AG_No2Comp:int,
    NO_SousTraitance:si""",
    index=[("AR_Ref",)],
)

F_ARTFOURNISS: Table
_table(
    "F_ARTFOURNISS",
    """AR_Ref:vc19#!, CT_Num:vc17#!, AF_RefFourniss:vc19#, AF_PrixAch:D, AF_Unite:si, AF_Conversion:D,
    AF_DelaiAppro:si, AF_Garantie:si, AF_Colisage:D, AF_QteMini:D, AF_QteMont:si, EG_Champ:si,
    AF_Principal:si, AF_PrixDev:D, AF_Devise:si, AF_Remise:D, AF_ConvDiv:D, AF_TypeRem:si,
    AF_CodeBarre:vc19, AF_PrixAchNouv:D, AF_PrixDevNouv:D, AF_RemiseNouv:D, AF_DateApplication:sdt""",
    unique=[("AR_Ref", "CT_Num")],
)

# --- prices --------------------------------------------------------------------------------

F_ARTCLIENT: Table
_table(
    "F_ARTCLIENT",
    """AR_Ref:vc19#!, AC_Categorie:si, AC_PrixVen:D, AC_Coef:D, AC_PrixTTC:si, AC_Arrondi:si, AC_QteMont:si,
    EG_Champ:si, AC_PrixDev:D, AC_Devise:si, CT_Num:vc17#, AC_Remise:D, AC_Calcul:si, AC_TypeRem:si,
    AC_RefClient:vc19#, AC_CoefNouv:D, AC_PrixVenNouv:D, AC_PrixDevNouv:D, AC_RemiseNouv:D,
    AC_DateApplication:sdt""",
    unique=[("AR_Ref", "AC_Categorie", "CT_Num")],
    index=[("CT_Num",)],
)

F_FAMCLIENT: Table
_table(
    "F_FAMCLIENT",
    "FA_CodeFamille:vc11#!, CT_Num:vc17#!, FC_Remise:D",
    unique=[("FA_CodeFamille", "CT_Num")],
)

F_FAMTARIF: Table
_table(
    "F_FAMTARIF",
    """FA_CodeFamille:vc11#!, FT_Categorie:si, FT_Coef:D, FT_PrixTTC:si, FT_Arrondi:si, FT_QteMont:si,
    EG_Champ:si, FT_Devise:si, FT_Remise:D, FT_Calcul:si, FT_TypeRem:si""",
    unique=[("FA_CodeFamille", "FT_Categorie")],
)

F_FAMTARIFQTE: Table
_table(
    "F_FAMTARIFQTE",
    """FA_CodeFamille:vc11#!, FQ_RefCF:vc17#, FQ_BorneSup:D, FQ_Remise{01..03}REM_Valeur:D,
    FQ_Remise{01..03}REM_Type:si""",
    unique=[("FA_CodeFamille", "FQ_RefCF", "FQ_BorneSup")],
)

F_TARIFQTE: Table
_table(
    "F_TARIFQTE",
    """AR_Ref:vc19#!, TQ_RefCF:vc17#, TQ_BorneSup:D, TQ_Remise{01..03}REM_Valeur:D,
    TQ_Remise{01..03}REM_Type:si, TQ_PrixNet:D""",
    unique=[("AR_Ref", "TQ_RefCF", "TQ_BorneSup")],
)

F_TARIFCOND: Table
_table(
    "F_TARIFCOND",
    "AR_Ref:vc19#!, TC_RefCF:vc17#, CO_No:int, TC_Prix:D, TC_PrixNouv:D",
    unique=[("AR_Ref", "TC_RefCF", "CO_No")],
)

# --- parameters (fixed-slot lists) ---------------------------------------------------------

P_CATTARIF: Table
_table("P_CATTARIF", "CT_Intitule:vc35~, CT_PrixTTC:si, cbIndice:si", unique=[("cbIndice",)], parameter=True)

P_CATCOMPTA: Table
_table(
    "P_CATCOMPTA",
    "CA_ComptaVen{01..50}:vc35~, CA_ComptaAch{01..50}:vc35~, CA_ComptaSto{01..50}:vc35~",
    parameter=True,
)

P_DEVISE: Table
_table(
    "P_DEVISE",
    """D_Intitule:vc35~, D_Format:vc31, D_Cours:D, D_CoursP:D, D_Monnaie:vc21~, D_SousMonnaie:vc21~,
    D_CodeISO:vc3#, D_Sigle:vc5, D_Mode:si, N_DeviseCot:si, D_CoursClot:D, D_AncDate:dt, D_AncCours:D,
    D_AncMode:si, N_DeviseAncCot:si, D_CodeRemise:si, D_Euro:si, D_CodeISONum:vc5#, cbIndice:si,
    D_UpdateDate:dt, D_UpdateTime:ch9""",
    unique=[("cbIndice",)],
    parameter=True,
)

P_REGLEMENT: Table
_table(
    "P_REGLEMENT",
    """R_Intitule:vc35~, R_Code:vc3#, R_ModePaieDebit:si, R_ModePaieCredit:si, IB_AFBDecaissPrinc:vc3,
    IB_AFBEncaissPrinc:vc3, EB_NoDecaiss:int, EB_NoEncaiss:int, cbIndice:si""",
    unique=[("cbIndice",)],
    parameter=True,
)

P_SOUCHEVENTE: Table
_table(
    "P_SOUCHEVENTE",
    "S_Intitule:vc35~, S_Valide:si, JO_Num:vc7#, JO_NumSituation:vc7#, cbIndice:si",
    unique=[("cbIndice",)],
    parameter=True,
)

P_UNITE: Table
_table(
    "P_UNITE",
    "U_Intitule:vc21~, U_Correspondance:si, U_NbUnite:si, U_UniteTemps:si, cbIndice:si, U_EdiCode:vc3",
    unique=[("cbIndice",)],
    parameter=True,
)

P_GAMME: Table
_table("P_GAMME", "G_Intitule:vc35~, G_Type:si, cbIndice:si", unique=[("cbIndice",)], parameter=True)

P_CONDITIONNEMENT: Table
_table("P_CONDITIONNEMENT", "P_Conditionnement:vc35~, cbIndice:si", unique=[("cbIndice",)], parameter=True)

P_INTSTATART: Table
_table("P_INTSTATART", "P_IntStatArt:vc35~, cbIndice:si", unique=[("cbIndice",)], parameter=True)

P_DOSSIER: Table
"""Company identity (a subset of Sage's P_DOSSIER columns: the ones comptoir shows)."""
_table(
    "P_DOSSIER",
    """D_RaisonSoc:vc35~, D_Profession:vc35~, D_Adresse:vc35~, D_Complement:vc35~, D_CodePostal:vc9,
    D_Ville:vc35~, D_CodeRegion:vc25~, D_Pays:vc35~, D_Telephone:vc21, D_Telecopie:vc21, D_EMail:vc69,
    D_Site:vc69, D_Siret:vc15, D_Ape:vc7, D_Identifiant:vc25, D_Commentaire:vc35~""",
    parameter=True,
)

# --- accounting ----------------------------------------------------------------------------

F_TAXE: Table
_table(
    "F_TAXE",
    """TA_Intitule:vc35~, TA_TTaux:si, TA_Taux:D, TA_Type:si, CG_Num:vc13#!, TA_No:int!, TA_Code:vc5#!,
    TA_NP:si, TA_Sens:si, TA_Provenance:si, TA_Regroup:vc5#, TA_Assujet:D, TA_GrilleBase:vc3,
    TA_GrilleTaxe:vc3, TA_EdiCode:vc3""",
    unique=[("TA_Code",), ("TA_No",)],
)

F_COMPTEG: Table
_table(
    "F_COMPTEG",
    """CG_Num:vc13#!, CG_Type:si, CG_Intitule:vc35~, CG_Classement:vc17~, N_Nature:si, CG_Report:si,
    CR_Num:vc13#, CG_Raccourci:vc7#, CG_Saut:si, CG_Regroup:si, CG_Analytique:si, CG_Echeance:si,
    CG_Quantite:si, CG_Lettrage:si, CG_Tiers:si, CG_DateCreate:dt, CG_Devise:si, N_Devise:si, TA_Code:vc5#,
    CG_Sommeil:si, CG_ReportAnal:si, CG_LettrageSaisie:si""",
    unique=[("CG_Num",)],
)

F_JOURNAUX: Table
_table(
    "F_JOURNAUX",
    """JO_Num:vc7#!, JO_Intitule:vc35~, CG_Num:vc13#, JO_Type:si, JO_NumPiece:si, JO_Contrepartie:si,
    JO_SaisAnal:si, JO_NotCalcTot:si, JO_Rappro:si, JO_Sommeil:si, JO_IFRS:si, JO_Reglement:si,
    JO_SuiviTreso:si, JO_LettrageSaisie:si""",
    unique=[("JO_Num",)],
)

# --- third parties -------------------------------------------------------------------------

F_COLLABORATEUR: Table
_table(
    "F_COLLABORATEUR",
    """CO_No:int, CO_Nom:vc35~, CO_Prenom:vc35~, CO_Fonction:vc35~, CO_Adresse:vc35~, CO_Complement:vc35~,
    CO_CodePostal:vc9, CO_Ville:vc35~, CO_CodeRegion:vc25~, CO_Pays:vc35~, CO_Service:vc35~, CO_Vendeur:si,
    CO_Caissier:si, CO_DateCreation:sdt, CO_Acheteur:si, CO_Telephone:vc21, CO_Telecopie:vc21,
    CO_EMail:vc69, CO_Receptionnaire:si, PROT_No:int+cb, CO_TelPortable:vc21, CO_ChargeRecouvr:si,
    CO_Matricule:vc11#, CO_Financier:si, CO_Transmission:si""",
    unique=[("CO_No",)],
)

F_COMPTET: Table
_table(
    "F_COMPTET",
    """CT_Num:vc17#!, CT_Intitule:vc35~, CT_Type:si, CG_NumPrinc:vc13#, CT_Qualite:vc17~, CT_Classement:vc17~,
    CT_Contact:vc35~, CT_Adresse:vc35~, CT_Complement:vc35~, CT_CodePostal:vc9, CT_Ville:vc35~,
    CT_CodeRegion:vc25~, CT_Pays:vc35~, CT_Raccourci:vc7#, BT_Num:si, N_Devise:si, CT_Ape:vc7,
    CT_Identifiant:vc25, CT_Siret:vc15, CT_Statistique{01..10}:vc21, CT_Commentaire:vc35~, CT_Encours:D,
    CT_Assurance:D, CT_NumPayeur:vc17#, N_Risque:si, CO_No:int+cb, N_CatTarif:si, CT_Taux{01..04}:D,
    N_CatCompta:si, N_Period:si, CT_Facture:si, CT_BLFact:si, CT_Langue:si, N_Expedition:si,
    N_Condition:si, CT_DateCreate:dt, CT_Saut:si, CT_Lettrage:si, CT_ValidEch:si, CT_Sommeil:si,
    DE_No:int+cb, CT_ControlEnc:si, CT_NotRappel:si, N_Analytique:si+cb, CA_Num:vc13#, CT_Telephone:vc21,
    CT_Telecopie:vc21, CT_EMail:vc69, CT_Site:vc69, CT_Coface:vc25, CT_Surveillance:si,
    N_AnalytiqueIFRS:si+cb, CA_NumIFRS:vc13#, CT_PrioriteLivr:si, CT_LivrPartielle:si, MR_No:int+cb,
    CT_NotPenal:si, EB_No:int+cb, CT_NumCentrale:vc17#, CT_DateFermeDebut:dt, CT_DateFermeFin:dt,
    CT_FactureElec:si, CT_TypeNIF:si, CT_RepresentInt:vc35~, CT_RepresentNIF:vc25, CT_EdiCodeType:si,
    CT_EdiCode:vc23, CT_EdiCodeSage:vc9, CT_ProfilSoc:si, CT_StatutContrat:si, CT_DateMAJ:dt,
    CT_EchangeRappro:si, CT_EchangeCR:si, PI_NoEchange:int+cb, CT_BonAPayer:si, CT_DelaiTransport:si,
    CT_DelaiAppro:si, CT_LangueISO2:vc3, CT_AnnulationCR:si, CT_CessionCreance:si, CT_Facebook:vc35,
    CT_LinkedIn:vc35, CT_ExclureTrait:si, CT_GDPR:si, CT_Prospect:si""",
    unique=[("CT_Num",)],
    index=[("CT_Type",), ("CT_NumCentrale",)],
)

F_LIVRAISON: Table
_table(
    "F_LIVRAISON",
    """LI_No:int!, CT_Num:vc17#!, LI_Intitule:vc35~, LI_Adresse:vc35~, LI_Complement:vc35~, LI_CodePostal:vc9,
    LI_Ville:vc35~, LI_CodeRegion:vc25~, LI_Pays:vc35~, LI_Contact:vc35~, N_Expedition:si, N_Condition:si,
    LI_Principal:si, LI_Telephone:vc21, LI_Telecopie:vc21, LI_EMail:vc69""",
    unique=[("LI_No",)],
    index=[("CT_Num",)],
)

F_CONTACTT: Table
_table(
    "F_CONTACTT",
    """CT_Num:vc17#!, CT_Nom:vc35~, CT_Prenom:vc35~, N_Service:si, CT_Fonction:vc35~, CT_Telephone:vc21,
    CT_TelPortable:vc21, CT_Telecopie:vc21, CT_EMail:vc69, CT_Civilite:si, N_Contact:si, CT_No:int""",
    unique=[("CT_No",)],
    index=[("CT_Num",)],
)

# --- documents -----------------------------------------------------------------------------

F_DOCENTETE: Table
_table(
    "F_DOCENTETE",
    """DO_Domaine:si, DO_Type:si, DO_Piece:vc13#, DO_Date:dt, DO_Ref:vc17~, DO_Tiers:vc17#, CO_No:int+cb,
    DO_Period:si, DO_Devise:si, DO_Cours:D, DE_No:int+cb, LI_No:int+cb, CT_NumPayeur:vc17#, DO_Expedit:si,
    DO_NbFacture:si, DO_BLFact:si, DO_TxEscompte:D, DO_Reliquat:si, DO_Imprim:si, CA_Num:vc13#,
    DO_Coord{01..04}:vc25~, DO_Souche:si, DO_DateLivr:dt, DO_Condition:si, DO_Tarif:si, DO_Colisage:si,
    DO_TypeColis:si, DO_Transaction:si, DO_Langue:si, DO_Ecart:D, DO_Regime:si, N_CatCompta:si,
    DO_Ventile:si, AB_No:int, DO_DebutAbo:dt, DO_FinAbo:dt, DO_DebutPeriod:dt, DO_FinPeriod:dt,
    CG_Num:vc13#, DO_Statut:si, DO_Heure:ch9, CA_No:int+cb, CO_NoCaissier:int+cb, DO_Transfere:si,
    DO_Cloture:si, DO_NoWeb:vc17#, DO_Attente:si, DO_Provenance:si, CA_NumIFRS:vc13#, MR_No:int,
    DO_TypeFrais:si, DO_ValFrais:D, DO_TypeLigneFrais:si, DO_TypeFranco:si, DO_ValFranco:D,
    DO_TypeLigneFranco:si, DO_Taxe{1..3}:D, DO_TypeTaux{1..3}:si, DO_TypeTaxe{1..3}:si, DO_MajCpta:si,
    DO_Motif:vc69~, CT_NumCentrale:vc17#, DO_Contact:vc35~, DO_FactureElec:si, DO_TypeTransac:si,
    DO_DateLivrRealisee:dt, DO_DateExpedition:dt, DO_FactureFrs:vc35~, DO_PieceOrig:vc13#, DO_GUID:guid,
    DO_EStatut:si, DO_DemandeRegul:si, ET_No:int+cb, DO_Valide:si, DO_Coffre:si, DO_CodeTaxe{1..3}:vc5#,
    DO_TotalHT:D, DO_StatutBAP:si, DO_Escompte:si, cbHash:vb32, cbHashVersion:si, cbHashDate:dt,
    cbHashOrder:int, DO_DocType:si, DO_TypeCalcul:si, DO_FactureFile:guid, DO_TotalHTNet:D,
    DO_TotalTTC:D, DO_NetAPayer:D, DO_MontantRegle:D, DO_RefPaiement:guid, DO_AdressePaiement:vc255,
    DO_PaiementLigne:si, DO_MotifDevis:si""",
    unique=[("DO_Domaine", "DO_Type", "DO_Piece")],
    index=[("DO_NoWeb",), ("DO_Tiers",)],
)

F_DOCLIGNE: Table
_table(
    "F_DOCLIGNE",
    """DO_Domaine:si, DO_Type:si!, CT_Num:vc17#, DO_Piece:vc13#!, DL_PieceBC:vc13#, DL_PieceBL:vc13#,
    DO_Date:dt, DL_DateBC:dt, DL_DateBL:dt, DL_Ligne:int, DO_Ref:vc17~, DL_TNomencl:si, DL_TRemPied:si,
    DL_TRemExep:si, AR_Ref:vc19#, DL_Design:vc69~, DL_Qte:D, DL_QteBC:D, DL_QteBL:D, DL_PoidsNet:D,
    DL_PoidsBrut:D, DL_Remise{01..03}REM_Valeur:D, DL_Remise{01..03}REM_Type:si, DL_PrixUnitaire:D,
    DL_PUBC:D, DL_Taxe{1..2}:D, DL_TypeTaux{1..2}:si, DL_TypeTaxe{1..2}:si, CO_No:int+cb, AG_No1:int,
    AG_No2:int, DL_PrixRU:D, DL_CMUP:D, DL_MvtStock:si, DT_No:int+cb, AF_RefFourniss:vc19#,
    EU_Enumere:vc21~, EU_Qte:D, DL_TTC:si, DE_No:int+cb, DL_NoRef:si, DL_TypePL:si, DL_PUDevise:D,
    DL_PUTTC:D, DL_No:int, DO_DateLivr:dt, CA_Num:vc13#, DL_Taxe3:D, DL_TypeTaux3:si, DL_TypeTaxe3:si,
    DL_Frais:D, DL_Valorise:si, AR_RefCompose:vc19#, DL_NonLivre:si, AC_RefClient:vc19#, DL_MontantHT:D,
    DL_MontantTTC:D, DL_FactPoids:si, DL_Escompte:si, DL_PiecePL:vc13#, DL_DatePL:dt, DL_QtePL:D,
    DL_NoColis:vc19, DL_NoLink:int+cb, RP_Code:vc11#, DL_QteRessource:int, DL_DateAvancement:dt,
    PF_Num:vc9#!, DL_CodeTaxe{1..3}:vc5#, DL_PieceOFProd:int, DL_PieceDE:vc13#, DL_DateDE:dt, DL_QteDE:D,
    DL_Operation:vc11, DL_NoSousTotal:int, CA_No:int+cb, cbHash:vb32, cbHashVersion:si, cbHashDate:dt,
    cbHashOrder:int, DO_DocType:si""",
    unique=[("DL_No",)],
    index=[
        ("DO_Domaine", "DO_Type", "DO_Piece"),
        ("DL_PieceDE",),
        ("DL_PieceBC",),
        ("DL_PiecePL",),
        ("DL_PieceBL",),
    ],
)

F_DOCREGL: Table
_table(
    "F_DOCREGL",
    """DR_No:int, DO_Domaine:si, DO_Type:si, DO_Piece:vc13#, DR_TypeRegl:si, DR_Date:dt, DR_Libelle:vc35~,
    DR_Pourcent:D, DR_Montant:D, DR_MontantDev:D, DR_Equil:si, EC_No:int+cb, DR_Regle:si, N_Reglement:si,
    CA_No:int+cb, cbHash:vb32, cbHashVersion:si, cbHashDate:dt, cbHashOrder:int, DO_DocType:si,
    DR_RefPaiement:guid, DR_AdressePaiement:vc255""",
    unique=[("DR_No",)],
    index=[("DO_Domaine", "DO_Type", "DO_Piece")],
)

F_CREGLEMENT: Table
_table(
    "F_CREGLEMENT",
    """RG_No:int, CT_NumPayeur:vc17#, RG_Date:dt, RG_Reference:vc17~, RG_Libelle:vc35~, RG_Montant:D,
    RG_MontantDev:D, N_Reglement:si, RG_Impute:si, RG_Compta:si, EC_No:int+cb, RG_Type:si, RG_Cours:D,
    N_Devise:si, JO_Num:vc7#!, CG_NumCont:vc13#, RG_Impaye:dt, CG_Num:vc13#, RG_TypeReg:si, RG_Heure:ch9,
    RG_Piece:vc13#, CA_No:int+cb, CO_NoCaissier:int+cb, RG_Banque:si, RG_Transfere:si, RG_Cloture:si!,
    RG_Ticket:si, RG_Souche:si, CT_NumPayeurOrig:vc17#, RG_DateEchCont:dt, CG_NumEcart:vc13#,
    JO_NumEcart:vc7#, RG_MontantEcart:D, RG_NoBonAchat:int, RG_Valide:si, cbHash:vb32, cbHashVersion:si,
    cbHashDate:dt, cbHashOrder:int, RG_Anterieur:D""",
    unique=[("RG_No",)],
)

F_REGLECH: Table
_table(
    "F_REGLECH",
    "RG_No:int!, DR_No:int!, DO_Domaine:si, DO_Type:si, DO_Piece:vc9#, RC_Montant:D, RG_TypeReg:si",
    unique=[("RG_No", "DR_No")],
)

F_DOCCURRENTPIECE: Table
_table(
    "F_DOCCURRENTPIECE",
    "DC_Domaine:si, DC_IdCol:si, DC_Souche:si, DC_Piece:vc13#",
    unique=[("DC_Domaine", "DC_IdCol", "DC_Souche")],
)

cbSysLibre: Table
"""Definitions of the "informations libres" (one row per extra column of a table)."""
_DESCRIBE["cbSysLibre"] = lambda: Table(
    "cbSysLibre",
    _metadata,
    *_columns(
        """CB_File:nvc128!, CB_Name:nvc128!, CB_Pos:si!, CB_Type:si!, CB_Len:si!, CB_Flag:si,
        CB_Formule:vc1024, CB_Creator:ch4"""
    ),
    PrimaryKeyConstraint("CB_File", "CB_Name", name="PK_cbSysLibre"),
)

F_REGLEMENTT: Table
"""A customer's payment terms, one row per due date: ``RT_Condition`` 0 days net, 1 end of calendar
month, 2 end of month; ``RT_TRepart`` 0 percentage, 1 balance, 2 amount (``RT_VRepart``)."""
_table(
    "F_REGLEMENTT",
    """CT_Num:vc17!, N_Reglement:si, RT_Condition:si, RT_NbJour:si, RT_JourTb{01..06}:si, RT_TRepart:si,
    RT_VRepart:D""",
    index=[("CT_Num",)],
)

P_EXPEDITION: Table
"""Carriers (modes d'expédition): the fee's calculation and whether it is entered net (0) or gross (1)."""
_table(
    "P_EXPEDITION",
    """E_Intitule:vc35, E_Mode:vc3, AR_Ref:vc19, E_TypeFrais:si, E_ValFrais:D, E_TypeLigneFrais:si,
    E_TypeFranco:si, E_ValFranco:D, E_TypeLigneFranco:si, cbIndice:si, E_TypeCalcul:si""",
    unique=[("cbIndice",)],
    parameter=True,
)

cbLock: Table
"""Replica only: the record locks a Sage user holds. Sage keeps them in memory on SQL Server
(``xp_CBLockRecord``, asked through ``CB_FntIsRecordLock``); the replica keeps them here so that
tests can hold a record the way a Sage user editing it does."""
_DESCRIBE["cbLock"] = lambda: Table(
    "cbLock",
    _metadata,
    Column("cbSession", t.integer(), nullable=False),
    Column("cbFile", t.varchar(128), nullable=False),
    Column("cbMarq", t.integer(), nullable=False),
    Column("cbType", t.smallint()),
    Index("IX_cbLock_cbFile_cbMarq", "cbFile", "cbMarq"),
)

# --- columns of recent versions ------------------------------------------------------------

RECENT = "sage_recent"
"""Key of ``Column.info`` marking a column that older Sage versions do not have."""


def _recent_columns(name: str) -> list[Column[Any]]:
    """The columns of recent versions table ``name`` has: ``cbCreation`` and ``cbCreationUser`` on
    every ``F_`` table, ``DO_Conversion`` on ``F_DOCENTETE``, ``DO_PieceAcompte`` on ``F_DOCREGL``."""
    columns: list[Column[Any]] = []
    if name.startswith("F_"):
        columns += [Column("cbCreation", t.sage_datetime()), Column("cbCreationUser", t.guid())]
    if name == "F_DOCENTETE":
        columns.append(Column("DO_Conversion", t.smallint()))
    if name == "F_DOCREGL":
        columns.append(Column("DO_PieceAcompte", t.varchar(13)))
    for column in columns:
        column.info[RECENT] = True
    return columns


def table(name: str) -> Table:
    """The table ``name`` (``"F_ARTICLE"``), described on first use and kept."""
    with _describing:
        found = globals().get(name)
        if not isinstance(found, Table):
            found = _DESCRIBE[name]()
            for column in _recent_columns(name):
                found.append_column(column)
            globals()[name] = found
    return found


def _every_table() -> MetaData:
    for name in _DESCRIBE:
        table(name)
    return _metadata


def __getattr__(name: str) -> object:
    """``F_ARTICLE`` and the other tables, ``metadata`` and ``SAGE_TABLES``, on first use."""
    if name in _DESCRIBE:
        return table(name)
    if name == "metadata":
        return _every_table()
    if name == "SAGE_TABLES":
        tables = tuple(_every_table().sorted_tables)
        globals()[name] = tables
        return tables
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def create_schema(engine: Engine | Connection, tables: Iterable[Table] | None = None) -> None:
    """Create the replica's tables and indexes (those missing) in an empty database."""
    _every_table().create_all(engine, tables=list(tables) if tables is not None else None, checkfirst=True)


def add_free_fields(conn: Connection, fields: Sequence[FreeField], *, creator: str = "COMP") -> None:
    """Add "informations libres" (columns + ``cbSysLibre`` rows); see :mod:`.freefields`."""
    from comptoir.erp.sage100.freefields import add_free_fields as add

    add(conn, fields, creator=creator)
