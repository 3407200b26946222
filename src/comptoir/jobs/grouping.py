"""Variations by grouping (SPEC §3): articles sharing a master reference become one product.

A custom field of each article holds the master reference; up to five pairs of custom fields
hold an attribute name and its value (Couleur = Rouge). The combination set of a group must be
complete in the ERP — every colour in every size exists as an article, published or not — and
each article must have its own combination; otherwise the group is refused whole, with the
missing or repeated combinations named. Only the selected (published, active) articles become
variations; an article left out simply leaves its combination unavailable in the shop.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from comptoir.journal.messages import Text
from comptoir.model import Article, AttributeDraft

MAX_ATTRIBUTES = 5


@dataclass(frozen=True, slots=True)
class Group:
    """Articles sold as the variations of one variable product."""

    master: str
    articles: tuple[Article, ...]
    attributes: tuple[AttributeDraft, ...]
    options: dict[str, tuple[tuple[str, str], ...]]
    """Article reference → its (attribute, value) pairs."""
    carrier: Article | None = None
    """An article whose reference is the master reference itself: its texts describe the product."""

    def name(self, name_of: Callable[[Article], str] = lambda article: article.designation) -> str:
        """The product's name: the carrier's, else what the variations' names share (each article
        named by ``name_of``: its designation unless the profile maps another text)."""
        if self.carrier is not None:
            return name_of(self.carrier)
        return common_name([name_of(a) for a in self.articles]) or self.master


@dataclass(frozen=True, slots=True)
class GroupProblem:
    master: str
    references: tuple[str, ...]
    message: Text
    """Why (English as a string; the journal says it in the profile's language)."""


@dataclass(frozen=True, slots=True)
class Grouping:
    singles: list[Article]
    groups: list[Group]
    problems: list[GroupProblem]


def common_name(names: Sequence[str]) -> str:
    """The words all names start with (``Tablier en lin lavé`` from its colours)."""
    if not names:
        return ""
    words = [name.split() for name in names]
    shared: list[str] = []
    for column in zip(*words, strict=False):
        if len(set(column)) != 1:
            break
        shared.append(column[0])
    return " ".join(shared).rstrip(" -–,")


def master_references(articles: Sequence[Article], master_field: str) -> set[str]:
    """References of the articles that carry a group's texts (their reference is a master reference):
    their own price is never sent, the group's variations carry the prices."""
    masters = {m for a in articles if (m := a.custom_fields.get(master_field, "").strip()) != a.reference}
    return {a.reference for a in articles if a.reference in masters}


def _pairs(article: Article, attribute_fields: Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for name_field, value_field in attribute_fields:
        name = article.custom_fields.get(name_field, "").strip()
        value = article.custom_fields.get(value_field, "").strip()
        if name and value:
            pairs.append((name, value))
    return tuple(pairs)


def group_articles(
    articles: Sequence[Article],
    master_field: str,
    attribute_fields: Sequence[tuple[str, str]],
    selected: Collection[str] | None = None,
) -> Grouping:
    """Split the ``selected`` references (all when ``None``) into single products and complete
    groups; name what cannot be grouped. ``articles`` is every ERP article: completeness is checked
    against all of them."""
    chosen = {a.reference for a in articles} if selected is None else set(selected)
    by_master: dict[str, list[Article]] = {}
    singles: list[Article] = []
    for article in articles:
        master = article.custom_fields.get(master_field, "").strip()
        if master and master != article.reference:
            by_master.setdefault(master, []).append(article)
        elif article.reference in chosen:
            singles.append(article)
    carriers = {a.reference: a for a in articles if a.reference in by_master}
    singles = [a for a in singles if a.reference not in by_master]
    groups: list[Group] = []
    problems: list[GroupProblem] = []
    for master, members in sorted(by_master.items()):
        if not any(a.reference in chosen for a in members):
            continue
        result = _group(master, members, attribute_fields, carriers.get(master), chosen)
        if isinstance(result, GroupProblem):
            problems.append(result)
        else:
            groups.append(result)
    return Grouping(singles, groups, problems)


def _group(
    master: str,
    members: list[Article],
    attribute_fields: Sequence[tuple[str, str]],
    carrier: Article | None,
    chosen: Collection[str],
) -> Group | GroupProblem:
    references = tuple(a.reference for a in members if a.reference in chosen)
    options = {a.reference: _pairs(a, attribute_fields) for a in members}
    names = list(dict.fromkeys(name for pairs in options.values() for name, _ in pairs))
    if not names:
        return GroupProblem(master, references, Text("group.no_attributes"))
    lacking = [ref for ref, pairs in options.items() if [n for n, _ in pairs] != names]
    if lacking:
        return GroupProblem(
            master,
            references,
            Text("group.attributes_missing", references=", ".join(lacking), names=", ".join(names)),
        )
    values = {name: list(dict.fromkeys(dict(pairs)[name] for pairs in options.values())) for name in names}
    seen: dict[tuple[tuple[str, str], ...], str] = {}
    for ref, pairs in options.items():
        if pairs in seen:
            return GroupProblem(
                master, references, Text("group.same_combination", first=seen[pairs], second=ref)
            )
        seen[pairs] = ref
    every = [tuple(zip(names, combo, strict=True)) for combo in itertools.product(*values.values())]
    missing = [combo for combo in every if combo not in seen]
    if missing:
        shown = "; ".join(" / ".join(v for _, v in combo) for combo in missing[:5])
        more = f" (+{len(missing) - 5})" if len(missing) > 5 else ""
        return GroupProblem(master, references, Text("group.incomplete", missing=f"{shown}{more}"))
    sold = [a for a in members if a.reference in chosen]
    offered = {
        name: [v for v in values[name] if any(dict(options[a.reference])[name] == v for a in sold)]
        for name in names
    }
    attributes = tuple(AttributeDraft(name, tuple(offered[name])) for name in names)
    return Group(master, tuple(sold), attributes, {a.reference: options[a.reference] for a in sold}, carrier)
