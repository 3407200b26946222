"""Attachments: WordPress's media library (``/wp/v2/media``, WP_REST_Attachments_Controller) and
the product images WooCommerce makes from an ``images[].src`` (``wc_rest_upload_image_from_url``).

Files are kept in the store (base64) and served at ``/wp-content/uploads/YYYY/MM/<name>`` so a
``source_url`` answers. WordPress's file checks are followed: the extension must be an allowed
type, and for images and PDFs the content must be what the extension says
(``wp_check_filetype_and_ext``); an image whose content is another allowed image type gets the
right extension. Image sizes (thumbnails) are not generated: ``media_details.sizes`` is empty.
"""

from __future__ import annotations

import base64
import hashlib
import re
import struct
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from comptoir.sandbox.woocommerce.calls import Call, Reply, collection, page_params, slice_page
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError
from comptoir.sandbox.woocommerce.resources.routing import CREATE, DELETE, READ, Route, route
from comptoir.sandbox.woocommerce.schemas import FORCE, base_collection, s
from comptoir.sandbox.woocommerce.store import Record
from comptoir.sandbox.woocommerce.text import SITE_TZ, parse_iso, slugify, wp_date, wp_date_gmt

IMAGE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "jpe": "image/jpeg",
    "gif": "image/gif",
    "png": "image/png",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "ico": "image/x-icon",
    "webp": "image/webp",
    "avif": "image/avif",
    "heic": "image/heic",
}
"""``wc_rest_allowed_image_mime_types``: the image types a product image may have."""
ALLOWED_TYPES = {
    **IMAGE_TYPES,
    "pdf": "application/pdf",
    "txt": "text/plain",
    "csv": "text/csv",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "zip": "application/zip",
    "mp4": "video/mp4",
    "mp3": "audio/mpeg",
}
"""``get_allowed_mime_types`` for an administrator (a subset: the common office and media types)."""
NOT_ALLOWED = "Sorry, you are not allowed to upload this file type."


def sniff(data: bytes) -> str | None:
    """The MIME type the content shows (images and PDF), ``None`` when it shows none of them."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"BM"):
        return "image/bmp"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG, GIF or JPEG header (``getimagesize``)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data.startswith((b"GIF87a", b"GIF89a")) and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            length = struct.unpack(">H", data[i + 2 : i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(width), int(height)
            i += 2 + length
    return None


def sanitize_file_name(name: str) -> str:
    """``sanitize_file_name``: accents removed, spaces to dashes, special characters dropped."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    plain = re.sub(r"[?\[\]/\\=<>:;,'\"&$#*()|~`!{}%+’«»”“\x00-\x1f]", "", plain)
    plain = re.sub(r"[\s-]+", "-", plain).strip(".-_")
    return plain or "unnamed-file"


class UploadError(ValueError):
    """A failed ``wc_rest_upload_image_from_url``: WooCommerce's error code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Upload:
    """A file accepted by ``wp_handle_sideload``."""

    name: str
    mime: str
    data: bytes


def check_file(name: str, data: bytes, allowed: dict[str, str]) -> Upload:
    """``wp_check_filetype_and_ext``: a known extension whose content agrees (images may be
    renamed to their real type); raises ``ValueError(NOT_ALLOWED)`` otherwise."""
    name = sanitize_file_name(name)
    stem, dot, ext = name.rpartition(".")
    ext = ext.lower() if dot else ""
    mime = allowed.get(ext)
    if mime is None:
        raise ValueError(NOT_ALLOWED)
    real = sniff(data)
    if mime.startswith("image/") and mime in (
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/bmp",
    ):
        if real is None or not real.startswith("image/"):
            raise ValueError(NOT_ALLOWED)
        if real != mime:
            new_ext = {
                v: k for k, v in allowed.items() if v == real and k in ("png", "jpg", "gif", "webp", "bmp")
            }
            if real not in new_ext:
                raise ValueError(NOT_ALLOWED)
            name, mime = f"{stem}.{new_ext[real]}", real
    elif mime == "application/pdf" and real != "application/pdf":
        raise ValueError(NOT_ALLOWED)
    return Upload(name, mime, data)


class Media:
    """Attachments over the store (kind ``attachment``, ids from the ``post`` sequence)."""

    def __init__(self, ctx: Context, site_url: Any) -> None:
        self.ctx = ctx
        self.store = ctx.store
        self.site_url = site_url

    # --- files ---------------------------------------------------------------------------------
    def _unique_path(self, folder: str, name: str) -> str:
        """``wp_unique_filename``: ``name``, then ``name-1``, ``name-2``…"""
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, ""
        candidate, n = name, 1
        while self.store.lookup("attachment_file", f"{folder}/{candidate}") is not None:
            candidate = f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}"
            n += 1
        return f"{folder}/{candidate}"

    def add(self, upload: Upload, *, title: str, parent: int = 0, author: int = 1) -> Record:
        """Store a file as an attachment (``wp_insert_attachment``)."""
        now = self.ctx.now()
        folder = now.astimezone(SITE_TZ).strftime("%Y/%m")
        path = self._unique_path(folder, upload.name)
        ident = self.store.next_id("post")
        blob = self.store.next_id("blob")
        self.store.put("blob", blob, {"id": blob, "data": base64.b64encode(upload.data).decode()})
        record: Record = {
            "id": ident,
            "file": path,
            "mime": upload.mime,
            "title": title,
            "slug": self._unique_slug(slugify(title) or "file"),
            "alt": "",
            "caption": "",
            "description": "",
            "parent": parent,
            "author": author,
            "size": len(upload.data),
            "dims": list(image_size(upload.data) or ()),
            "blob": blob,
            "_created": now.isoformat(),
            "_modified": now.isoformat(),
        }
        self.store.put("attachment", ident, record)
        return record

    def _unique_slug(self, slug: str) -> str:
        candidate, n = slug, 2
        while self.store.lookup("attachment_slug", candidate) is not None:
            candidate, n = f"{slug}-{n}", n + 1
        return candidate

    def url(self, record: Record) -> str:
        return f"{self.site_url()}/wp-content/uploads/{record['file']}"

    def file_at(self, path: str) -> tuple[bytes, str] | None:
        """The bytes and type of the upload served at ``/wp-content/uploads/<path>``."""
        found = self.store.lookup("attachment_file", unquote(path))
        record = self.store.get("attachment", found[1]) if found is not None else None
        if record is None:
            return None
        blob = self.store.get("blob", int(record["blob"]))
        return (base64.b64decode(blob["data"]) if blob else b""), record["mime"]

    def is_image(self, ident: int) -> bool:
        """``wp_attachment_is_image``."""
        record = self.store.get("attachment", ident)
        return record is not None and str(record["mime"]).startswith("image/")

    # --- product images ----------------------------------------------------------------------------
    def from_url(self, src: str, parent: int) -> Record:
        """``wc_rest_upload_image_from_url`` + ``wc_rest_set_uploaded_image_as_attachment``.

        An upload of this shop is copied; any other http(s) URL whose file name has an image
        extension is taken as downloaded (the sandbox fetches nothing from the network) with a
        1×1 image of that type. Raises ``ValueError`` with WooCommerce's message."""
        parts = urlsplit(src)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UploadError(
                "woocommerce_rest_invalid_remote_image_url",
                f"Error getting remote image {src}. Error: A valid URL was not provided.",
            )
        name = unquote(parts.path.rsplit("/", 1)[-1]) or "image"
        own_prefix = f"{self.site_url()}/wp-content/uploads/"
        data: bytes | None = None
        if src.startswith(own_prefix):
            found = self.file_at(src[len(own_prefix) :].split("?", 1)[0])
            if found is None:
                raise UploadError(
                    "woocommerce_rest_invalid_remote_image_url",
                    f"Error getting remote image {src}. Error: Not Found",
                )
            data = found[0]
        else:
            ext = name.rpartition(".")[2].lower()
            data = PLACEHOLDERS.get(IMAGE_TYPES.get(ext, ""), b"")
        try:
            upload = check_file(name, data, IMAGE_TYPES)
        except ValueError as exc:
            raise UploadError("woocommerce_rest_invalid_image", f"Invalid image: {exc}") from None
        title = upload.name.rpartition(".")[0] or upload.name
        return self.add(upload, title=title, parent=parent)

    def image_view(self, ident: int) -> dict[str, Any] | None:
        """An image as a product shows it (``get_images``)."""
        record = self.store.get("attachment", ident)
        if record is None:
            return None
        created = parse_iso(record["_created"])
        modified = parse_iso(record["_modified"])
        return {
            "id": ident,
            "date_created": wp_date(created),
            "date_created_gmt": wp_date_gmt(created),
            "date_modified": wp_date(modified),
            "date_modified_gmt": wp_date_gmt(modified),
            "src": self.url(record),
            "name": record["title"],
            "alt": record["alt"],
        }

    def set_meta(self, ident: int, *, alt: str | None = None, title: str | None = None) -> None:
        record = self.store.get("attachment", ident)
        if record is None:
            return
        changed = dict(record)
        if alt:
            changed["alt"] = alt
        if title:
            changed["title"] = title
        self.store.put("attachment", ident, changed)

    # --- /wp/v2/media --------------------------------------------------------------------------------
    def render(self, record: Record, context: str = "view") -> dict[str, Any]:
        """``WP_REST_Attachments_Controller::prepare_item_for_response``."""
        created = parse_iso(record["_created"])
        modified = parse_iso(record["_modified"])
        url = self.url(record)
        image = str(record["mime"]).startswith("image/")
        details: dict[str, Any] = {"filesize": record["size"]}
        if image and record.get("dims"):
            width, height = record["dims"]
            details = {
                "width": width,
                "height": height,
                "file": record["file"],
                "filesize": record["size"],
                "sizes": {},
            }
        link = f"{self.site_url()}/?attachment_id={record['id']}"
        out: dict[str, Any] = {
            "id": record["id"],
            "date": wp_date(created),
            "date_gmt": wp_date_gmt(created),
            "guid": {"rendered": url},
            "modified": wp_date(modified),
            "modified_gmt": wp_date_gmt(modified),
            "slug": record["slug"],
            "status": "inherit",
            "type": "attachment",
            "link": link,
            "title": {"rendered": record["title"]},
            "author": record["author"],
            "featured_media": 0,
            "comment_status": "open",
            "ping_status": "closed",
            "template": "",
            "meta": [],
            "class_list": [],
            "description": {"rendered": _description_html(record, url, image)},
            "caption": {"rendered": f"<p>{record['caption']}</p>\n" if record["caption"] else ""},
            "alt_text": record["alt"],
            "media_type": "image" if image else "file",
            "mime_type": record["mime"],
            "media_details": details,
            "post": record["parent"] or None,
            "source_url": url,
        }
        if context == "edit":
            out["guid"]["raw"] = url
            out["title"]["raw"] = record["title"]
            out["description"]["raw"] = record["description"]
            out["caption"]["raw"] = record["caption"]
            out["permalink_template"] = link
            out["generated_slug"] = record["slug"]
            out["missing_image_sizes"] = []
            out["filename"] = record["file"].rsplit("/", 1)[-1]
            out["filesize"] = record["size"]
        out["_links"] = {
            "self": [{"href": f"{self.site_url()}/wp-json/wp/v2/media/{record['id']}"}],
            "collection": [{"href": f"{self.site_url()}/wp-json/wp/v2/media"}],
            "about": [{"href": f"{self.site_url()}/wp-json/wp/v2/types/attachment"}],
        }
        return out

    def upload(self, call: Call, raw: bytes, headers: dict[str, str]) -> Reply:
        """``create_item`` with a raw body (``upload_from_data``)."""
        if not raw:
            raise WooError("rest_upload_no_data", "No data supplied.", 400)
        if not headers.get("content-type"):
            raise WooError("rest_upload_no_content_type", "No Content-Type supplied.", 400)
        disposition = headers.get("content-disposition")
        if not disposition:
            raise WooError("rest_upload_no_content_disposition", "No Content-Disposition supplied.", 400)
        name = _disposition_filename(disposition)
        if not name:
            raise WooError(
                "rest_upload_invalid_disposition",
                "Invalid Content-Disposition supplied. Content-Disposition needs to be formatted as "
                '`attachment; filename="image.png"` or similar.',
                400,
            )
        md5 = headers.get("content-md5")
        if md5 and md5 != hashlib.md5(raw).hexdigest():
            raise WooError("rest_upload_hash_mismatch", "Content hash did not match expected.", 412)
        try:
            upload = check_file(name, raw, ALLOWED_TYPES)
        except ValueError as exc:
            raise WooError("rest_upload_sideload_error", str(exc), 500) from None
        original = sanitize_file_name(name)
        title = str(call.param("title") or "") or (original.rpartition(".")[0] or original)
        record = self.add(
            upload, title=title, parent=int(call.param("post") or 0), author=call.principal.user_id
        )
        for key, field in (("alt_text", "alt"), ("caption", "caption"), ("description", "description")):
            value = call.param(key)
            if isinstance(value, str):
                record[field] = value
        self.store.put("attachment", record["id"], record)
        location = f"{self.site_url()}/wp-json/wp/v2/media/{record['id']}"
        return Reply(
            self.render(record, "edit"),
            201,
            {"Location": location, "X-WP-Upload-Attachment-ID": str(record["id"])},
        )

    def routes(self, upload: Any) -> list[Route]:
        def get(call: Call) -> Reply:
            record = self.store.get("attachment", int(call.route["id"]))
            if record is None:
                raise WooError("rest_post_invalid_id", "Invalid post ID.", 404)
            return Reply(self.render(record, str(call.param("context") or "view")))

        def list_items(call: Call) -> Reply:
            page = page_params(call.query, orderby=["date", "id", "title", "slug", "modified"])
            wanted = call.param("media_type")
            mime = call.param("mime_type")
            items = [
                a
                for a in self.store.records("attachment")
                if (not wanted or (wanted == "image") == str(a["mime"]).startswith("image/"))
                and (not mime or a["mime"] == mime)
            ]
            items.sort(key=lambda a: (a["_created"], a["id"]), reverse=page.order == "desc")
            rendered = [self.render(a) for a in slice_page(items, page)]
            return collection(call, rendered, len(items), page)

        def delete(call: Call) -> Reply:
            ident = int(call.route["id"])
            record = self.store.get("attachment", ident)
            if record is None:
                raise WooError("rest_post_invalid_id", "Invalid post ID.", 404)
            if not call.param("force"):
                raise WooError(
                    "rest_trash_not_supported",
                    "Attachments do not support trashing. Set 'force=true' to delete.",
                    501,
                )
            previous = self.render(record, "edit")
            self.store.delete("attachment", ident)
            self.store.delete("blob", int(record["blob"]))
            return Reply({"deleted": True, "previous": previous})

        collection_args = {
            **base_collection(),
            "media_type": s("string", enum=["image", "video", "text", "application", "audio"]),
            "mime_type": s("string"),
            "order": s("string", default="desc", enum=["asc", "desc"]),
            "orderby": s(
                "string",
                default="date",
                enum=[
                    "author",
                    "date",
                    "id",
                    "include",
                    "modified",
                    "parent",
                    "relevance",
                    "slug",
                    "include_slugs",
                    "title",
                ],
            ),
        }
        exists = lambda c: self.store.get("attachment", int(c.route["id"])) is not None  # noqa: E731
        return [
            route(READ, "/wp/v2/media", list_items, "public", collection_args),
            route(CREATE, "/wp/v2/media", upload, "wp_create", {}),
            route(
                READ,
                "/wp/v2/media/<id>",
                get,
                "public",
                {"context": s("string", default="view", enum=["view", "embed", "edit"])},
            ),
            route(DELETE, "/wp/v2/media/<id>", delete, "wp_delete", {"force": FORCE}, exists),
        ]


def _description_html(record: Record, url: str, image: bool) -> str:
    if image:
        width, height = (record.get("dims") or [0, 0])[:2] or (0, 0)
        return (
            f'<p class="attachment"><a href=\'{url}\'><img width="{width}" height="{height}" src="{url}" '
            f'class="attachment-medium size-medium" alt="{record["alt"]}" decoding="async" '
            'loading="lazy" /></a></p>\n'
        )
    return f"<p class=\"attachment\"><a href='{url}'>{record['title']}</a></p>\n"


def _disposition_filename(disposition: str) -> str | None:
    """``get_filename_from_disposition``: ``filename*=UTF-8''…`` or ``filename="…"``."""
    for part in disposition.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        key = key.strip().lower()
        value = value.strip()
        if key == "filename*" and "''" in value:
            value = unquote(value.split("''", 1)[1])
        elif key != "filename":
            continue
        value = value.strip('"').strip("'")
        name = value.replace("\\", "/").rsplit("/", 1)[-1].strip()
        if name:
            return name
    return None


PLACEHOLDERS = {
    "image/png": bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002"
        "00015e2a0b3b0000000049454e44ae426082"
    ),
    "image/jpeg": bytes.fromhex(
        "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912"
        "130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001"
        "000101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b510000201"
        "0303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433"
        "627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a"
        "737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5"
        "c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ff"
        "d9"
    ),
    "image/gif": bytes.fromhex(
        "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
    ),
    "image/webp": bytes.fromhex("524946461a000000574542505650384c0d0000002f0000001007101111888808"),
}
"""A 1×1 image of each common type, for product images the sandbox does not download."""
