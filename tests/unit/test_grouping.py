"""Variations by grouping: complete groups, refused groups, names, carriers."""

from __future__ import annotations

from comptoir.jobs.grouping import common_name, group_articles, master_references
from comptoir.model import Article

PAIRS = [("A1", "V1"), ("A2", "V2")]


def article(ref: str, master: str = "", **values: str) -> Article:
    fields = {"MASTER": master, **values} if master else dict(values)
    return Article(reference=ref, designation=f"Pull laine {ref}", family_code="F", custom_fields=fields)


def colour_size(ref: str, colour: str, size: str, master: str = "PULL") -> Article:
    return article(ref, master, A1="Couleur", V1=colour, A2="Taille", V2=size)


def test_complete_group_and_singles() -> None:
    items = [
        colour_size("P-R-S", "Rouge", "S"),
        colour_size("P-R-M", "Rouge", "M"),
        colour_size("P-B-S", "Bleu", "S"),
        colour_size("P-B-M", "Bleu", "M"),
        article("SOLO"),
    ]
    grouping = group_articles(items, "MASTER", PAIRS)
    assert [a.reference for a in grouping.singles] == ["SOLO"]
    assert grouping.problems == []
    [group] = grouping.groups
    assert group.master == "PULL"
    assert [(a.name, a.options) for a in group.attributes] == [
        ("Couleur", ("Rouge", "Bleu")),
        ("Taille", ("S", "M")),
    ]
    assert group.options["P-B-M"] == (("Couleur", "Bleu"), ("Taille", "M"))
    assert group.name() == "Pull laine"


def test_incomplete_duplicate_and_unnamed_groups_are_refused() -> None:
    incomplete = [
        colour_size("P-R-S", "Rouge", "S"),
        colour_size("P-R-M", "Rouge", "M"),
        colour_size("P-B-S", "Bleu", "S"),
    ]
    [problem] = group_articles(incomplete, "MASTER", PAIRS).problems
    assert problem.message == "incomplete combinations, missing: Bleu / M"
    assert set(problem.references) == {"P-R-S", "P-R-M", "P-B-S"}
    twice = [colour_size("X1", "Rouge", "S", "X"), colour_size("X2", "Rouge", "S", "X")]
    assert group_articles(twice, "MASTER", PAIRS).problems[0].message == "X1 and X2 have the same combination"
    partial = [colour_size("Y1", "Rouge", "S", "Y"), article("Y2", "Y", A1="Couleur", V1="Bleu")]
    assert "not every attribute" in group_articles(partial, "MASTER", PAIRS).problems[0].message


def test_an_article_named_like_the_master_carries_the_texts() -> None:
    carrier = Article(reference="PULL", designation="Pull en laine mérinos", family_code="F")
    items = [carrier, colour_size("P-R", "Rouge", "S"), colour_size("P-B", "Bleu", "S")]
    grouping = group_articles(items, "MASTER", PAIRS)
    assert grouping.singles == []
    assert grouping.groups[0].name() == "Pull en laine mérinos"
    assert master_references(items, "MASTER") == {"PULL"}, "its own price is never sent"
    assert master_references([colour_size("P-R", "Rouge", "S"), article("SOLO")], "MASTER") == set()


def test_common_name() -> None:
    assert common_name(["Tablier en lin lavé lavande", "Tablier en lin lavé olive"]) == "Tablier en lin lavé"
    assert common_name(["Nappe - bleue", "Nappe - jaune"]) == "Nappe"
    assert common_name(["Alpha", "Beta"]) == ""


def test_completeness_counts_every_erp_article_but_only_selected_ones_are_sold() -> None:
    items = [
        colour_size("P-R-S", "Rouge", "S"),
        colour_size("P-R-M", "Rouge", "M"),
        colour_size("P-B-S", "Bleu", "S"),
        colour_size("P-B-M", "Bleu", "M"),
    ]
    grouping = group_articles(items, "MASTER", PAIRS, selected={"P-R-S", "P-R-M", "P-B-S"})
    [group] = grouping.groups
    assert [a.reference for a in group.articles] == ["P-R-S", "P-R-M", "P-B-S"]
    assert [(a.name, a.options) for a in group.attributes] == [
        ("Couleur", ("Rouge", "Bleu")),
        ("Taille", ("S", "M")),
    ]
    only_red = group_articles(items, "MASTER", PAIRS, selected={"P-R-S", "P-R-M"}).groups[0]
    assert only_red.attributes[0].options == ("Rouge",)
    assert group_articles(items, "MASTER", PAIRS, selected={"OTHER"}).groups == []
