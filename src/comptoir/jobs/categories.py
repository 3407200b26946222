"""Shop categories from the ERP, in the mode the profile chooses (SPEC §3), created before products.

- ``families``: one category per article family (key: the family code);
- ``catalogue``: the ERP's catalogue tree (Sage: ``F_CATALOGUE``), each level under its parent
  (key ``catalogue:<node>``); an article goes in its deepest level;
- ``fields``: up to six article custom fields, the first the top level, each next one a level
  below (key ``fields:<value 1>/<value 2>…``); an article goes in the deepest level it fills;
- ``off``: categories are never created, changed or removed, and products carry none.

``products.additional_categories_field`` names a custom field holding more category names,
comma-separated, created at the top level (key ``extra:<name>``); a product is put in them too.

Categories are created level by level, parents first; an existing shop category with the same
name under the same parent is adopted (bound), never duplicated. Categories are only created,
never updated: shop staff own them once they exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from comptoir.jobs.context import JobContext
from comptoir.jobs.push import Resource, describe_error, resolve
from comptoir.model import Article, CategoryDraft, ItemResult, ShopCategory, clean_draft, clean_text
from comptoir.profile import CategorySource
from comptoir.state import BoundObject

CATEGORY = "category"
MAX_LEVELS = 6


@dataclass(frozen=True, slots=True)
class Node:
    """One category the articles need: its key, name and parent's key."""

    key: str
    name: str
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class CategoryPlan:
    """The categories to hold, parents first, and the category keys of each article."""

    nodes: list[Node]
    of_article: dict[str, tuple[str, ...]]


def _depth(node: Node, nodes: dict[str, Node]) -> int:
    depth, parent = 0, node.parent
    while parent is not None and parent in nodes and depth <= len(nodes):
        depth, parent = depth + 1, nodes[parent].parent
    return depth


def plan_categories(ctx: JobContext, articles: Sequence[Article]) -> CategoryPlan:
    """Which categories the ``articles`` need, per the profile's mode, and where each goes."""
    options = ctx.profile.products
    nodes: dict[str, Node] = {}
    of_article: dict[str, tuple[str, ...]] = {}
    mode = options.categories
    if mode is CategorySource.FAMILIES:
        families = {c.key: c for c in ctx.erp.read_categories()}
        for article in articles:
            family = families.get(article.family_code)
            if family is not None:
                nodes[family.key] = Node(family.key, family.name)
                of_article[article.reference] = (family.key,)
    elif mode is CategorySource.CATALOGUE:
        tree = {f"catalogue:{c.key}": c for c in ctx.erp.read_catalogue()}
        for article in articles:
            key = f"catalogue:{article.catalogue}" if article.catalogue else ""
            if key not in tree:
                continue
            of_article[article.reference] = (key,)
            walk: str | None = key
            while walk is not None and walk in tree and walk not in nodes:
                level = tree[walk]
                parent = f"catalogue:{level.parent_key}" if level.parent_key else None
                nodes[walk] = Node(walk, level.name, parent if parent in tree else None)
                walk = parent
    elif mode is CategorySource.FIELDS:
        for article in articles:
            path: list[str] = []
            for name in options.category_fields:
                value = article.custom_fields.get(name, "").strip()
                if not value:
                    break
                parent = f"fields:{'/'.join(path)}" if path else None
                path.append(value)
                key = f"fields:{'/'.join(path)}"
                nodes.setdefault(key, Node(key, value, parent))
            if path:
                of_article[article.reference] = (f"fields:{'/'.join(path)}",)
    if mode is not CategorySource.OFF and options.additional_categories_field:
        for article in articles:
            raw = article.custom_fields.get(options.additional_categories_field, "")
            extras = [name.strip() for name in raw.split(",") if name.strip()]
            keys = []
            for name in extras:
                key = f"extra:{clean_text(name).casefold()}"
                nodes.setdefault(key, Node(key, name))
                keys.append(key)
            own = of_article.get(article.reference, ())
            of_article[article.reference] = tuple(dict.fromkeys([*own, *keys]))
    ordered = sorted(nodes.values(), key=lambda n: (_depth(n, nodes), n.key))
    return CategoryPlan(ordered, of_article)


async def ensure_categories(ctx: JobContext, articles: Sequence[Article]) -> dict[str, tuple[str, ...]]:
    """Article reference → the shop ids of its categories (missing ones found or created first)."""
    if ctx.profile.products.categories is CategorySource.OFF:
        return {}
    plan = plan_categories(ctx, articles)
    resource = category_resource(ctx)
    ids: dict[str, str] = {}
    bound_before = ctx.state.bindings(ctx.name, CATEGORY)
    counts = {"bound": 0, "adopted": 0, "create": 0}
    by_depth: dict[int, list[Node]] = {}
    lookup = {n.key: n for n in plan.nodes}
    for node in plan.nodes:
        by_depth.setdefault(_depth(node, lookup), []).append(node)
    for _depth_level, level in sorted(by_depth.items()):
        drafts = [
            clean_draft(CategoryDraft(n.key, n.name, ids.get(n.parent) if n.parent else None))
            for n in level
            if n.parent is None or n.parent in ids
        ]
        places = await resolve(ctx, resource, drafts)
        for draft in drafts:
            if draft.key in places:
                ids[draft.key] = places[draft.key].shop_id
                counts["bound" if draft.key in bound_before else "adopted"] += 1
        to_create = [d for d in drafts if d.key not in places]
        counts["create"] += len(to_create)
        if not to_create or ctx.dry_run:
            continue
        created: dict[str, BoundObject] = {}
        for result in await resource.save(to_create, []):
            if result.ok and result.shop_id is not None:
                created[result.key] = BoundObject(result.shop_id, None)
            else:
                ctx.journal.error("category.failed", key=result.key, error=describe_error(result))
        ctx.state.bind(ctx.name, CATEGORY, created)
        ids |= {k: p.shop_id for k, p in created.items()}
    ctx.journal.info("categories.plan", **counts)
    return {ref: tuple(ids[k] for k in keys if k in ids) for ref, keys in plan.of_article.items() if keys}


def _natural(parent_shop_id: str | None, name: str) -> str:
    return f"{parent_shop_id or ''}\x1f{clean_text(name).casefold()}"


def category_resource(ctx: JobContext) -> Resource[CategoryDraft]:
    """Categories for the push engine: keyed by ERP key, found by name under the same parent
    (case-insensitive); the shop's categories are listed once per run."""
    listed: list[list[ShopCategory]] = []

    async def find(naturals: list[str]) -> dict[str, BoundObject]:
        if not listed:
            listed.append(await ctx.shop.list_categories())
        wanted = set(naturals)
        found: dict[str, BoundObject] = {}
        for category in listed[0]:
            natural = _natural(category.parent_id, category.name)
            if natural in wanted and natural not in found:
                found[natural] = BoundObject(category.shop_id, None)
        return found

    async def save(
        creates: Sequence[CategoryDraft], _updates: Sequence[tuple[BoundObject, CategoryDraft]]
    ) -> list[ItemResult]:
        return await ctx.shop.create_categories(creates)

    return Resource(
        kind=CATEGORY,
        key=lambda d: d.key,
        natural_key=lambda d: _natural(d.parent_shop_id, d.name),
        find=find,
        save=save,
        only=lambda d, _names: d,
        describe=lambda d: d.name,
    )
