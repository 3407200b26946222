"""The shop texts of an article, from the ERP fields the profile maps (``products.texts``).

Each shop text (name, description, short description, SEO title and description, slug) comes
from the designation, the long description, a custom field, or nothing (``None``: the shop's text
is left alone). An RTF text (Sage keeps long descriptions so) becomes HTML paragraphs in the
descriptions and plain text elsewhere (``model/rtf.py``). An empty name falls back to the
reference, an empty slug to none (the shop derives one from the name).
"""

from __future__ import annotations

from dataclasses import dataclass

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
