"""The shop texts of an article, from the ERP fields the profile maps (``products.texts``).

Each shop text (name, description, short description, SEO title and description, slug) comes
from the designation, the long description, a custom field, or nothing (``None``: the shop's text
is left alone). An RTF text (Sage keeps long descriptions so) becomes HTML paragraphs in the
descriptions and plain text elsewhere (``model/rtf.py``). An empty name falls back to the
reference, an empty slug to none (the shop derives one from the name).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from comptoir.jobs.context import JobContext
from comptoir.model import Article
from comptoir.model.rtf import rtf_html, rtf_text
from comptoir.profile.models import CUSTOM_FIELD

HTML_TEXTS = frozenset({"description", "short_description"})


@dataclass(frozen=True, slots=True)
class Texts:
    """The texts one product receives (``None``: not sent)."""

    name: str
    description: str | None = None
    short_description: str | None = None
    seo_title: str | None = None
    seo_description: str | None = None
    slug: str | None = None


def _source(article: Article, source: str, *, html: bool) -> str | None:
    if source == "none":
        return None
    if source == "designation":
        value = article.designation
    elif source == "description":
        value = article.description
    else:
        value = article.custom_fields.get(source[len(CUSTOM_FIELD) :], "")
    return rtf_html(value) if html else rtf_text(value)


def article_texts(ctx: JobContext, article: Article) -> Texts:
    """The texts of one article's product, per ``products.texts``."""
    options = ctx.profile.products.texts
    values = {
        name: _source(article, getattr(options, name), html=name in HTML_TEXTS)
        for name in ("name", "description", "short_description", "seo_title", "seo_description", "slug")
    }
    name = (values.pop("name") or "").strip() or article.reference
    slug = (values.pop("slug") or "").strip() or None
    return Texts(name=name, slug=slug, **values)


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except ArithmeticError:
        return None
    return value if value.is_finite() and value > 0 else None


def dimensions(ctx: JobContext, article: Article) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """Width, height and depth from the configured numeric custom fields (``None``: not set or not
    a positive number)."""
    fields = ctx.profile.products.dimensions

    def value(name: str | None) -> Decimal | None:
        return _number(article.custom_fields.get(name, "")) if name else None

    return value(fields.width), value(fields.height), value(fields.depth)


def features(ctx: JobContext, article: Article) -> tuple[tuple[str, str], ...] | None:
    """The (feature, value) pairs of ``products.features`` this article fills; ``None`` when the
    profile maps none or the shop cannot show features."""
    table = ctx.profile.products.features
    if not table or not ctx.capabilities.features:
        return None
    pairs = []
    for name, source in table.items():
        if source == "barcode":
            value = article.barcode
        elif source in ("weight_net", "weight_gross"):
            weight = article.weight_net if source == "weight_net" else article.weight_gross
            value = format(weight.normalize(), "f") if weight else ""
        else:
            value = rtf_text(article.custom_fields.get(source[len(CUSTOM_FIELD) :], ""))
        if value.strip():
            pairs.append((name, value.strip()))
    return tuple(pairs)
