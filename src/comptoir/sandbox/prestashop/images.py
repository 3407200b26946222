"""``/api/images``: product images as ``WebserviceSpecificManagementImages`` manages them
(PrestaShop 9.0.0 classes/webservice/WebserviceSpecificManagementImages.php).

- ``GET images/products``: the products that have images (``<image id="12" xlink:href=…/>``).
- ``GET images/products/{id}``: the product's images as ``<declination>`` nodes; 404 without content
  when it has none; an id that is not an unsigned integer is refused (400, code 60).
- ``POST images/products/{id}`` with a multipart field ``image``: a new image (the cover when the
  product has none), answered with the image entity and its content in base64; no ``image`` part
  → 400 (76 "Please set an "image" parameter…"); a type other than gif/jpeg/pjpeg/png/webp
  (found from the bytes, as ``finfo`` does) → 400 (73); an unknown product → 400 (76).
- ``GET images/products/{id}/{image}`` → the bytes (``Content-Type`` of the image); an image the
  product does not have → 400 (57); ``DELETE`` removes it (200, no content).
Other image types (categories, manufacturers…) are not simulated (400, code 48 "Did you mean").
Resized formats are not made: every size answers the uploaded bytes. In JSON, PrestaShop's renderer
has no place for these listing nodes; the sandbox answers ``{"images": [{"id": …}]}`` (its own
choice — read image lists in XML).
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
from typing import TYPE_CHECKING

from comptoir.sandbox.prestashop.errors import WsError, did_you_mean
from comptoir.sandbox.prestashop.formats import JsonWriter
from comptoir.sandbox.prestashop.output import Builder, Out
from comptoir.sandbox.prestashop.schema import IMAGE_ENTITY
from comptoir.sandbox.prestashop.values import php_int

if TYPE_CHECKING:
    from comptoir.sandbox.prestashop.request import WsRequest

ACCEPTED = ("image/gif", "image/jpg", "image/jpeg", "image/pjpeg", "image/png", "image/webp", "image/x-png")
TYPES = ("general", "products", "categories", "manufacturers", "suppliers", "stores", "customizations")


def sniff(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def multipart_file(content_type: str, body: bytes, name: str) -> bytes | None:
    """The bytes of the form part ``name`` of a ``multipart/form-data`` body."""
    if "multipart/form-data" not in content_type:
        return None
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == name:
            payload = part.get_payload(decode=True)
            return payload if isinstance(payload, bytes) else None
    return None


def manage(request: WsRequest) -> tuple[int, str | bytes | None, str | None]:
    segments = [*request.incoming.segments, "", "", "", ""]
    kind, owner, image = segments[1], segments[2], segments[3]
    if kind == "":
        raise WsError(501, 0, "The image types list is not simulated by the comptoir sandbox.")
    if kind != "products":
        raise did_you_mean(400, f'Image of type "{kind}" does not exist', kind, list(TYPES), 48)
    shop = request.shop
    if owner == "":
        with_images = sorted({php_int(i["id_product"]) for i in shop.all("images")})
        return 200, _listing(request, with_images), None
    if not owner.isdigit():
        raise WsError(400, 60, 'The image id is invalid. Please set a valid id or the "default" value')
    product = int(owner)
    images = [i for i in shop.all("images") if php_int(i["id_product"]) == product]
    if request.method == "POST" and image == "":
        return _upload(request, product)
    if image == "":
        if request.method not in ("GET", "HEAD"):
            raise WsError(405, 77, f"Method {request.method} is not allowed for an image resource")
        if not images:
            return 404, None, None
        return 200, _declinations(request, product, [int(i["id"]) for i in images]), None
    if image == "bin":
        cover = next((i for i in images if i.get("cover") == "1"), None)
        image = str(cover["id"]) if cover else ""
    found = next((i for i in images if str(i["id"]) == image), None)
    if found is None:
        raise WsError(400, 57, "This image id does not exist")
    if request.method in ("GET", "HEAD"):
        data = base64.b64decode(found.get("_content", ""))
        return 200, data, sniff(data) or "image/jpeg"
    if request.method == "DELETE":
        shop.store.delete("images", int(found["id"]))
        if found.get("cover") == "1":
            rest = [i for i in images if i["id"] != found["id"]]
            if rest:
                rest[0]["cover"] = "1"
                shop.put("images", rest[0])
        return 200, None, None
    raise WsError(405, 67, "This method is not allowed")


def _upload(request: WsRequest, product: int) -> tuple[int, str, None]:
    shop = request.shop
    data = multipart_file(request.incoming.headers.get("content-type", ""), request.incoming.body, "image")
    if not data:
        raise WsError(400, 76, 'Please set an "image" parameter with image data for value')
    kind = sniff(data)
    if kind not in ACCEPTED:
        raise WsError(
            400,
            73,
            "This type of image format is not recognized, allowed formats are: " + '", "'.join(ACCEPTED),
        )
    if shop.get("products", product) is None:
        raise WsError(400, 76, f"Product {product} does not exist")
    existing = [i for i in shop.all("images") if php_int(i["id_product"]) == product]
    record = shop.put(
        "images",
        {
            "id": None,
            "id_product": str(product),
            "position": str(max((php_int(i["position"]) for i in existing), default=0) + 1),
            "cover": None if any(i.get("cover") == "1" for i in existing) else "1",
            "legend": {lang: "" for lang in shop.languages},
            "_content": base64.b64encode(data).decode(),
            "_assoc": {},
        },
    )
    builder = Builder(IMAGE_ENTITY, request.incoming.ws_url, lambda r, f: r.get(f.name), lambda r, a: [])
    entity = builder.entity(record, "full")
    entity.fields.append(Out("content", base64.b64encode(data).decode(), encode="base64"))
    writer = request.writer()
    return 200, writer.entities("images", [entity], as_list=False), None


def _listing(request: WsRequest, products: list[int]) -> str:
    url = request.incoming.ws_url
    writer = request.writer()
    if isinstance(writer, JsonWriter):
        return writer.dump({"images": [{"id": p} for p in products]})
    items = "".join(f'<image id="{p}" xlink:href="{url}images/products/{p}"/>\n' for p in products)
    return writer.wrap(f"<images>\n{items}</images>\n")


def _declinations(request: WsRequest, product: int, ids: list[int]) -> str:
    url = request.incoming.ws_url
    writer = request.writer()
    if isinstance(writer, JsonWriter):
        return writer.dump({"image": [{"id": i} for i in ids]})
    items = "".join(f'<declination id="{i}" xlink:href="{url}images/products/{product}/{i}"/>\n' for i in ids)
    return writer.wrap(f'<image id="{product}">\n{items}</image>\n')
