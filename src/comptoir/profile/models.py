"""The profile: one ERP database + one shop + every option the jobs use (SPEC §1-§7).

Each class documents its fields; ``docs/configuration.md`` is generated from these models
(``comptoir profile doc``). Defaults are the safe ones SPEC names.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializeAsAny,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

from comptoir.model.kinds import DiscountRule, DocumentType, QuantityKind
from comptoir.profile import validators
from comptoir.profile.alerts import AlertOptions
from comptoir.profile.schedule import ScheduleOptions
from comptoir.profile.secrets import SecretRef


class _Section(BaseModel):
    # Each field is documented by the string under it, read by ``comptoir.profile.docstrings`` when
    # the reference or the dashboard asks (Pydantic's ``use_attribute_docstrings`` would read the
    # source of every class at every start-up).
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class ProxyOptions(_Section):
    """An HTTP proxy between comptoir and the shop."""

    host: str
    """Proxy host name."""
    port: int = Field(ge=1, le=65535)
    """Proxy port."""
    user: str | None = None
    """Proxy user, when the proxy asks for one."""
    password: SecretRef | None = None
    """Proxy password, as ``env:VARIABLE``."""


class HttpOptions(_Section):
    """How comptoir talks HTTP to a shop (SPEC §1)."""

    timeout: float = Field(default=30.0, gt=0)
    """Seconds before a request is abandoned."""
    request_delay_ms: int = Field(default=25, ge=0)
    """Pause between two requests to the shop, in milliseconds."""
    max_attempts: int = Field(default=3, ge=1, le=20)
    """Attempts per request before an item is reported as failed (retries back off exponentially)."""
    concurrency: int = Field(default=4, ge=1, le=32)
    """Requests in flight at once."""
    basic_auth_user: str | None = None
    """User of an HTTP basic authentication placed in front of the shop (not the API keys)."""
    basic_auth_password: SecretRef | None = None
    """Password of that basic authentication, as ``env:VARIABLE``."""
    proxy: ProxyOptions | None = None
    """Optional proxy."""
    ca_file: Path | None = None
    """Extra certificate authority (PEM) to trust, for a shop with a private certificate. TLS
    verification itself cannot be switched off."""


class ErpSettings(_Section):
    """The ERP: ``kind`` names the platform, whose own settings model validates the rest of the
    ``[erp]`` table (see each platform's section below)."""

    kind: str
    """Which ERP (one of the platforms listed in this reference)."""
    timezone: str = "Europe/Paris"
    """Time zone of the ERP's local dates (ERPs such as Sage store local times without zone)."""

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"{value!r} is not a known time zone (e.g. Europe/Paris)") from exc
        return value

    def relative_to(self, base: Path) -> Self:
        """A copy whose relative paths (files, SQLite URLs) are taken from ``base``."""
        return self

    def database_url(self) -> str | None:
        """The SQLAlchemy URL of the ERP's database, when it has one (its driver is checked when the
        profile is read, and named with the package to install when missing)."""
        return None

    def local_file(self) -> Path | None:
        """The file holding the ERP's data when it is kept in a local file, else ``None``.

        ``profile check`` opens such an ERP (no network needed) to make sure it is the ERP's.
        """
        return None


class ShopSettings(_Section):
    """The shop: ``kind`` names the platform, whose own settings model validates the rest of the
    ``[shop]`` table (see each platform's section below)."""

    kind: str
    """Which platform (one of the platforms listed in this reference)."""
    url: str
    """Shop address (``https://shop.example``)."""
    http: HttpOptions = HttpOptions()
    """HTTP options."""

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return validators.http_url(value)

    def relative_to(self, base: Path) -> Self:
        """A copy whose relative paths (the CA file) are taken from ``base``."""
        if self.http.ca_file is None:
            return self
        http = self.http.model_copy(update={"ca_file": (base / self.http.ca_file).resolve()})
        return self.model_copy(update={"http": http})


class StateSettings(_Section):
    """Where comptoir keeps what it remembers (bindings, fingerprints, order ledger, runs)."""

    url: str | None = None
    """SQLAlchemy URL; default: ``state.sqlite`` in the data folder."""

    @field_validator("url")
    @classmethod
    def _database(cls, value: str | None) -> str | None:
        return None if value is None else validators.database_url(value)


class CategorySource(StrEnum):
    FAMILIES = "families"
    CATALOGUE = "catalogue"
    FIELDS = "fields"
    OFF = "off"


class UpdatableField(StrEnum):
    """Product fields an update may overwrite (creation always sets them all)."""

    NAME = "name"
    DESCRIPTION = "description"
    SHORT_DESCRIPTION = "short_description"
    PRICE = "price"
    STOCK = "stock"
    WEIGHT = "weight"
    BARCODE = "barcode"
    CATEGORY = "category"
    STATUS = "status"
    TAX = "tax"
    SEO = "seo"
    SLUG = "slug"
    IMAGES = "images"
    DOCUMENTS = "documents"
    DIMENSIONS = "dimensions"


TEXT_SOURCES = ("designation", "description", "none")
CUSTOM_FIELD = "field:"


class TextOptions(_Section):
    """Where each shop text comes from (SPEC §3): ``designation``, ``description`` (the ERP's long
    description; RTF becomes HTML paragraphs), ``none`` (not sent: the shop's text is left as it
    is), or ``field:<name>`` for an article custom field (``field:Nom web``)."""

    name: str = "designation"
    """The product name (``none`` is not allowed: a product needs a name)."""
    description: str = "description"
    """The long description (HTML)."""
    short_description: str = "none"
    """The short description (HTML)."""
    seo_title: str = "none"
    """The SEO (meta) title."""
    seo_description: str = "none"
    """The SEO (meta) description."""
    slug: str = "none"
    """The URL slug (the shop makes a valid slug of it)."""
    show_designation: bool = True
    """Off: the ERP designation never reaches the shop (no text may come from it; a variable
    product is named from its variations' names)."""

    @model_validator(mode="after")
    def _sources(self) -> TextOptions:
        for name in ("name", "description", "short_description", "seo_title", "seo_description", "slug"):
            source = getattr(self, name)
            custom = source.startswith(CUSTOM_FIELD) and source[len(CUSTOM_FIELD) :].strip()
            if source not in TEXT_SOURCES and not custom:
                raise ValueError(f"{name}: {source!r} is not designation, description, none or field:<name>")
            if source == "designation" and not self.show_designation:
                raise ValueError(f"{name}: the designation is kept off the shop (show_designation = false)")
        if self.name == "none":
            raise ValueError("name: a product needs a name (designation, description or field:<name>)")
        return self


class ImageOptions(_Section):
    """Product images (SPEC §3): uploaded as files, once per content, never needing a public URL."""

    enabled: bool = False
    """Send images."""
    folder: Path | None = None
    """Folder of images named by reference: ``REF.jpg``, then ``REF_01.jpg`` … ``REF_99.jpg``
    (relative to the profile file)."""
    subfolders: bool = False
    """Also send every image of a sub-folder of ``folder`` named after the reference."""
    from_erp: bool = False
    """Also send the ERP's own article picture (Sage: ``AR_Photo``)."""
    erp_folder: Path | None = None
    """Folder the ERP's relative picture paths are taken from (Sage's images folder)."""
    extensions: list[str] = Field(default_factory=lambda: [".jpg", ".jpeg", ".png", ".gif", ".webp"])
    """File extensions taken as images."""
    replace_shop_images: bool = False
    """Remove the images a product has in the shop that comptoir did not send (added by hand)."""


class DocumentOptions(_Section):
    """Product documents (technical sheets…), where the platform can attach them."""

    enabled: bool = False
    """Send documents."""
    folder: Path | None = None
    """Folder of documents named by reference (``REF.pdf``, ``REF_01.pdf``…, or a sub-folder named
    after the reference), relative to the profile file."""
    extensions: list[str] = Field(default_factory=lambda: [".pdf"])
    """Extension filter: only these files are sent (``[".pdf", ".docx"]``)."""
    replace_shop_documents: bool = False
    """Remove the documents a product has in the shop that comptoir did not send."""


FEATURE_SOURCES = ("barcode", "weight_net", "weight_gross")


class DimensionFields(_Section):
    """Numeric article custom fields holding the product's dimensions (SPEC §3)."""

    width: str | None = None
    """Custom field of the width."""
    height: str | None = None
    """Custom field of the height."""
    depth: str | None = None
    """Custom field of the depth (some shops call it length)."""


class ProductOptions(_Section):
    """Export products (SPEC §3)."""

    categories: CategorySource = CategorySource.FAMILIES
    """Where shop categories come from: ``families`` (article families), ``catalogue`` (the ERP's
    catalogue tree, each level under its parent), ``fields`` (``category_fields``, one level each)
    or ``off`` (never create, change or remove a category; products carry none)."""
    category_fields: list[str] = Field(default_factory=list, max_length=6)
    """With ``categories = "fields"``: up to 6 article custom fields, the first the top level, each
    next one a level below (an article goes in the deepest level it fills)."""
    additional_categories_field: str | None = None
    """Article custom field naming more categories (comma-separated), created at the top level;
    products are put in them too."""
    skip_unpublished_families: bool = False
    """Leave out the articles of families the ERP does not publish on the web (Sage:
    ``FA_Publie``), and so those families' categories."""
    published_only: bool = True
    """Only export articles flagged "published on the web"."""
    incremental: bool = False
    """Export reads only the articles modified since its last run (the ERP's modification dates,
    with an overlap); ``comptoir export-products --full`` reads them all. Stock and the prices of
    range cells and packaging units are not seen by an article's date: their own jobs send them."""
    create_enabled: bool = True
    """New products are created enabled (published) rather than as drafts."""
    update_fields: frozenset[UpdatableField] = frozenset(
        {UpdatableField.NAME, UpdatableField.PRICE, UpdatableField.STOCK}
    )
    """What an update may overwrite. Texts are off by default: shop staff often edit them."""
    texts: TextOptions = TextOptions()
    """Which ERP field each shop text comes from."""
    variations_from_ranges: bool = False
    """An article with ranges (Sage: gammes, ``F_ARTENUMREF``) becomes a variable product with one
    variation per cell (its own reference, price and stock; dormant cells left out). Off: it is
    sent as one simple product at its base price."""
    variations_from_packagings: bool = False
    """An article with packaging units (Sage: conditionnements, ``F_CONDITION``) becomes a variable
    product with one variation per unit (its own reference, the unit's price or the base price
    times its quantity, the stock in whole units). Ranges win over packagings."""
    bundles: bool = False
    """An article with a bill of materials (an ERP nomenclature) becomes a bundle once every
    component is in the shop, as the shop platform expresses bundles (its page in docs/shops says
    how); until then it waits, named in the journal."""
    weight: Literal["net", "gross"] = "net"
    """Which ERP weight the shop receives."""
    dimensions: DimensionFields = DimensionFields()
    """Where the dimensions come from."""
    features: dict[str, str] = Field(default_factory=dict)
    """Shop feature (attribute shown on the product page) → where its value comes from:
    ``field:<custom field>`` (a brand, a material…), ``barcode``, ``weight_net`` or
    ``weight_gross``; e.g. ``{ Marque = "field:Marque", EAN = "barcode" }``. Features are the
    ERP's: an update of the catalog always carries them. An empty value leaves the feature out."""
    images: ImageOptions = ImageOptions()
    """Product images."""
    documents: DocumentOptions = DocumentOptions()
    """Product documents."""
    disable_withdrawn: bool = True
    """Disable in the shop (never delete) the products of articles put to sleep in the ERP, and of
    articles no longer published when ``published_only`` is on; enable them again when they come
    back. The stock and export jobs do it; a product disabled by shop staff is left alone."""
    master_field: str | None = None
    """Article custom field holding a master reference: articles sharing one become the variations
    of one variable product (variations by grouping). None: no grouping."""
    attribute_fields: list[tuple[str, str]] = Field(default_factory=list, max_length=5)
    """Up to 5 pairs of article custom fields ``[attribute name field, attribute value field]``,
    e.g. ``[["Attribut 1", "Valeur 1"], ["Attribut 2", "Valeur 2"]]``."""

    def relative_to(self, base: Path) -> ProductOptions:
        """A copy whose image and document folders are taken from ``base``."""
        images = self.images.model_copy(
            update={
                name: (base / value).resolve()
                for name in ("folder", "erp_folder")
                if (value := getattr(self.images, name)) is not None
            }
        )
        documents = self.documents
        if documents.folder is not None:
            documents = documents.model_copy(update={"folder": (base / documents.folder).resolve()})
        return self.model_copy(update={"images": images, "documents": documents})

    @model_validator(mode="before")
    @classmethod
    def _description_field(cls, data: Any) -> Any:
        """``description_field`` of earlier profiles is ``texts.description``."""
        if isinstance(data, dict) and "description_field" in data:
            data = dict(data)
            texts = dict(data.get("texts") or {})
            texts.setdefault("description", data.pop("description_field"))
            data["texts"] = texts
        return data

    @model_validator(mode="after")
    def _grouping(self) -> ProductOptions:
        if self.master_field and not self.attribute_fields:
            raise ValueError("attribute_fields: grouping by master_field needs at least one attribute pair")
        for name, source in self.features.items():
            if source not in FEATURE_SOURCES and not (
                source.startswith(CUSTOM_FIELD) and source[len(CUSTOM_FIELD) :].strip()
            ):
                raise ValueError(
                    f"features: {name} = {source!r} is not field:<name>, barcode, weight_net or weight_gross"
                )
        if self.categories is CategorySource.FIELDS and not self.category_fields:
            raise ValueError('category_fields: categories = "fields" needs at least one field')
        return self


class PriceOptions(_Section):
    """Update prices (SPEC §4)."""

    decimals: int = Field(default=2, ge=0, le=6)
    """Decimals of prices sent to the shop."""
    include_tax: bool = False
    """Send prices including tax (when the shop is set to enter prices tax-inclusive)."""
    allow_free_articles: bool = False
    """Send articles whose sale price is zero (free articles). Off: such an article fails alone, like
    one with no price or a negative price, and is neither created nor updated in the shop."""
    specific_prices: bool = False
    """Send what each professional customer pays (SPEC §4, docs/pricing.md): each ERP price
    category's net prices as the prices of its shop customer group, and per-customer prices only
    for customers whose net price differs from their group's (exception prices, family discounts,
    purchasing centrals, quantity breaks). Prices no longer in the ERP are removed from the shop.
    Needs a shop with group or customer prices; customers must be exported first."""
    discount_rule: DiscountRule = DiscountRule.HIGHEST
    """How an article's, a family's and a customer's discounts combine: ``highest`` (only the one
    giving the lowest price, as Sage proposes it), ``cascade`` (one after the other) or
    ``cumulative`` (percentages added up)."""
    customer_discount: bool = False
    """Apply each customer's own discount (Sage: ``CT_Taux01``) to its specific prices. Off by
    default: it would make a price per customer and article for every customer who has one."""
    price_categories: list[str] = Field(default_factory=list)
    """ERP price categories sent as customer groups with their prices (Sage: the category number);
    empty: every category."""


class StockOptions(_Section):
    """Update stock (SPEC §5)."""

    warehouses: list[str] = Field(default_factory=list)
    """ERP warehouse identifiers to sum (Sage: the warehouse number); empty = all."""
    exclude_warehouses: list[str] = Field(default_factory=list)
    """ERP warehouse identifiers never counted."""
    quantity: QuantityKind = QuantityKind.AVAILABLE
    """Which quantity: real, available, forward, real_plus_customer_orders, forward_minus_supplier_orders."""
    negative_as_zero: bool = True
    """Send a negative stock as 0."""
    unmanaged_quantity: int | None = Field(default=None, ge=0)
    """Quantity sent for articles whose stock the ERP does not track (the shop then tracks this
    quantity for them). None: the shop does not track their stock either (always available)."""
    per_warehouse: bool = False
    """Also send each warehouse's quantity with the product (shops that can hold per-warehouse
    stock), next to the summed quantity the shop sells from; excluded warehouses are never sent."""
    warehouse_groups: dict[str, list[str]] = Field(default_factory=dict)
    """Warehouses sent as one: a group key → the ERP warehouse identifiers summed under it, e.g.
    ``{"SUD" = ["3", "4"]}``. The other chosen warehouses are sent one by one."""
    incremental: bool = False
    """Update stock reads only the articles whose stock rows or article record changed since its
    last run (the ERP's modification dates, with an overlap), so a run costs what changed, not the
    catalog; ``comptoir update-stock --full`` reads everything."""
    full_every: int = Field(default=24, ge=1)
    """With ``incremental``: hours between full reads, which catch what modification dates miss
    (a change written without its date); the first run is always a full read."""

    @model_validator(mode="after")
    def _groups(self) -> StockOptions:
        seen: dict[str, str] = {}
        for group, members in self.warehouse_groups.items():
            if not members:
                raise ValueError(f"warehouse_groups.{group}: a group needs at least one warehouse")
            for member in members:
                if member in seen:
                    raise ValueError(
                        f"warehouse_groups: warehouse {member} is in both {seen[member]} and {group}"
                    )
                seen[member] = group
        return self


class HomeWarehouseSource(StrEnum):
    """Where a customer's home warehouse comes from."""

    ERP = "erp"
    POSTCODE = "postcode"
    WAREHOUSE_POSTCODE = "warehouse_postcode"
    FIELD = "field"


class HomeWarehouseOptions(_Section):
    """Each customer's home warehouse (SPEC §5, §11): sent to the shop customer, so the shop shows
    that warehouse's quantity and the others' sum, and used as the warehouse of the customer's
    imported orders."""

    source: HomeWarehouseSource = HomeWarehouseSource.ERP
    """``erp``: the customer's own home warehouse in the ERP (Sage: ``DE_No``); ``postcode``: the
    ``postcodes`` rules on the customer's postal code; ``warehouse_postcode``: the warehouse whose
    own postal code is in the customer's département; ``field``: the ERP customer field ``field``."""
    postcodes: dict[str, str] = Field(default_factory=dict)
    """Postal-code prefix (a département such as ``"49"``, or a whole postal code) → ERP warehouse
    identifier; the longest matching prefix wins."""
    field: str = ""
    """ERP customer field (Sage: an information libre) holding the warehouse identifier."""
    default: str | None = None
    """Warehouse of customers no rule places."""
    for_orders: bool = True
    """Use it as the warehouse of the customer's imported order documents (unless
    ``orders.warehouse`` names one)."""

    @model_validator(mode="after")
    def _complete(self) -> HomeWarehouseOptions:
        if self.source is HomeWarehouseSource.POSTCODE and not self.postcodes:
            raise ValueError("postcodes: the postcode source needs at least one rule")
        if self.source is HomeWarehouseSource.FIELD and not self.field:
            raise ValueError("field: the field source needs the ERP field's name")
        return self


class AccountMode(StrEnum):
    SHARED = "shared"
    PER_CUSTOMER = "per_customer"


class CustomerOptions(_Section):
    """Export customers and create ERP customers from orders (SPEC §6)."""

    skip_without_email: bool = True
    """Skip ERP customers without a valid e-mail (the shop needs one as login)."""
    update_email: bool = False
    """An update may change the e-mail (it is the customer's login)."""
    update_addresses: bool = True
    """An update may change billing and delivery addresses."""
    account_mode: AccountMode = AccountMode.PER_CUSTOMER
    """ERP account for web orders: one ``shared`` account, or one ``per_customer``."""
    account_prefix: str = Field(default="WEB", max_length=8)
    """Prefix of per-customer account numbers (must not collide with the ERP's own numbering)."""
    account_length: int = Field(default=9, ge=4, le=17)
    """Length of per-customer account numbers: prefix + shop id zero-padded (WEB000530)."""
    shared_account: str = "WEBCLIENT"
    """Account used in ``shared`` mode."""
    guest_account: str = "WEBINVITE"
    """Account used for guest orders."""
    accounting_account: str = "4110000"
    """Collective accounting account of created customers."""
    lookup_by_email: bool = True
    """Look up an existing ERP customer by e-mail before creating one."""
    uppercase_name: bool = False
    """Upper-case the last name of created customers."""
    price_category: str = "1"
    """ERP price category identifier of created customers (Sage: the category number)."""
    home_warehouse: HomeWarehouseOptions | None = None
    """Each customer's home warehouse; none: customers get none in the shop."""


class ShippingMode(StrEnum):
    FOOTER = "footer"
    LINE = "line"


class UnknownReference(StrEnum):
    FAIL = "fail"
    MISCELLANEOUS = "miscellaneous"


class RoundingMode(StrEnum):
    """What happens to an order whose ERP total differs from the shop's by rounding alone."""

    LINE_AMOUNTS = "line_amounts"
    ROUNDING_LINE = "rounding_line"
    REFUSE = "refuse"


class PaymentMapping(_Section):
    """What a shop payment method becomes in the ERP."""

    mode: str = Field(min_length=1)
    """ERP payment mode identifier (Sage: the payment mode number)."""
    journal: str = ""
    """Bank journal code receiving the payment (required with ``create_payment``)."""
    create_payment: bool = False
    """Record the payment (règlement) of a paid order, allocated to its document."""
    account: str | None = None
    """Put every order paid this way on this ERP customer account (e.g. a marketplace)."""

    @model_validator(mode="after")
    def _journal(self) -> PaymentMapping:
        if self.create_payment and not self.journal:
            raise ValueError("journal: a bank journal is required to create payments")
        return self


class Zone(StrEnum):
    """Where an order goes, for its accounting category (VAT regime)."""

    FRANCE = "france"
    """Metropolitan France (and Monaco)."""
    DOM_TOM = "dom_tom"
    """French overseas departments and territories (postcodes 97x, 98x; GP, MQ, GF, RE, YT…)."""
    EU_VAT = "eu_vat"
    """Another EU member state, buyer with an intra-EU VAT number (B2B, reverse charge)."""
    EU = "eu"
    """Another EU member state, buyer without a VAT number."""
    EXPORT = "export"
    """Outside the EU."""


class CategoryChoice(_Section):
    """The ERP accounting category of orders of one zone or country, with and without tax."""

    taxed: str | None = None
    """Category of an order charged with tax; none: the default."""
    untaxed: str | None = None
    """Category of an order charged without tax (intra-EU B2B, export); none: the default."""
    tax_codes: dict[str, str] = Field(default_factory=dict)
    """Shop rate → ERP tax code for these orders, over ``orders.tax_codes`` (the tax codes follow
    the category: e.g. ``{"0" = "CEE"}`` for intra-EU deliveries)."""


class AccountingOptions(_Section):
    """Zone or country → ERP accounting category (SPEC §7 mappings)."""

    by: Literal["zone", "country"] = "zone"
    """Look categories up by ``zone`` (france, dom_tom, eu_vat, eu, export) or by ISO ``country``
    code (``FR``, ``BE``…); a country not listed falls back to its zone, then to the defaults."""
    categories: dict[str, CategoryChoice] = Field(default_factory=dict)
    """Zone name or country code → categories with and without tax."""
    default_taxed: str | None = None
    """Category of an order with tax when its zone or country is not listed; none: the customer's."""
    default_untaxed: str | None = None
    """Category of an order without tax when its zone or country is not listed; none: the customer's."""
    apply_to_all: bool = False
    """Use the defaults for every order, whatever ``categories`` says."""
    address: Literal["shipping", "billing"] = "shipping"
    """Which address of the order gives its country."""

    @field_validator("categories")
    @classmethod
    def _keys(cls, value: dict[str, CategoryChoice]) -> dict[str, CategoryChoice]:
        zones = {z.value for z in Zone}
        for key in value:
            if key not in zones and not (len(key) == 2 and key.isalpha() and key.isupper()):
                raise ValueError(
                    f"{key!r} is neither a zone ({', '.join(sorted(zones))}) nor an ISO country code"
                )
        return value


class GroupingOptions(_Section):
    """Group a day's orders into one ERP document the next day (point of sale, marketplaces)."""

    orders: Literal["none", "all", "guests"] = "none"
    """Which orders are grouped: ``none``, ``all``, or ``guests`` only."""
    account: str = ""
    """ERP customer account of the grouped documents (required when grouping)."""
    merge_lines: bool = True
    """Merge identical lines (same reference, net price, tax code)."""
    timezone: str = "Europe/Paris"
    """Time zone whose calendar days group the orders."""


class OrderOptions(_Section):
    """Import orders (SPEC §7)."""

    statuses: dict[str, DocumentType] = Field(default_factory=lambda: {"processing": DocumentType.ORDER})
    """Shop status → ERP document type to create (quote, order, delivery_preparation, delivery_note,
    invoice)."""
    include_transferred: bool = False
    """Also import orders already marked transferred."""
    reference_template: str = "Web %OI - %CF %CL"
    """Document reference; placeholders %OI order id, %OR order number, %OD order date, %CF/%CL customer
    first/last name, %CC company, %PM payment method."""
    series: str = ""
    """ERP numbering series (souche) identifier; empty: the ERP's default series."""
    warehouse: str | None = None
    """ERP warehouse of the document's stock movements; none: the customer's home warehouse, else the
    ERP's main one."""
    shipping: ShippingMode = ShippingMode.FOOTER
    """Shipping in the document ``footer`` or as a ``line`` with ``shipping_article``."""
    unknown_reference: UnknownReference = UnknownReference.FAIL
    """A line whose reference is unknown: ``fail`` the order or use ``miscellaneous_article``."""
    miscellaneous_article: str = ""
    """Article for lines with unknown references (its code, the shop's label and price). Required."""
    shipping_article: str = ""
    """Article for shipping lines. Required."""
    packaging_article: str = ""
    """Article for gift-wrapping fees. Required."""
    discount_articles: dict[str, str] = Field(default_factory=dict)
    """ERP tax code → discount article for cart discounts; ``*`` applies to every code. Required."""
    tax_codes: dict[str, str] = Field(default_factory=dict)
    """Shop tax rate in percent (``"20"``, ``"5.5"``) → ERP tax code. An unmapped rate fails the order."""
    payment_methods: dict[str, PaymentMapping] = Field(default_factory=dict)
    """Shop payment method id (``bacs``, ``cheque``, ``stripe``…) → ERP payment mode, journal, whether
    to record the payment, optional customer account."""
    payment_label: str = "%CF %CL - %OI"
    """Label of recorded payments (same placeholders as ``reference_template``)."""
    validate_before_payment: bool = True
    """Validate the document before recording its payment."""
    allow_total_difference: bool = False
    """Keep (rather than fail) an order whose ERP total differs from the shop's for another reason
    than rounding (a price, a line, a tax rate); the difference is journaled either way."""
    rounding: RoundingMode = RoundingMode.LINE_AMOUNTS
    """An order whose ERP total differs from the shop's by rounding alone (the shop rounds tax per
    line, the ERP per tax code): ``line_amounts`` writes the document's lines with the amounts with
    tax the shop charged (the ERP derives each tax code's net from them; what is left, from a shop
    rounding tax on the subtotal, goes on the largest line's amount); ``rounding_line`` adds a line
    on ``rounding_article`` carrying the difference, at the tax code mapped to the 0 % rate;
    ``refuse`` fails the order. Orders whose shop prices include tax always get tax-inclusive
    lines. Either way the ERP total equals the shop's and the journal says what moved."""
    rounding_article: str = ""
    """Article of the rounding line (``rounding = "rounding_line"``)."""
    payment_difference_article: str = ""
    """Article of the payment-difference line (écart de règlement, e.g. ``ZECART``): an order whose
    ERP total differs from what the customer paid by at most ``payment_tolerance`` (and not by
    rounding alone) gets a line of the difference at the 0 % tax code, so the document's total is
    what was paid. Empty: such orders are refused like any difference."""
    payment_tolerance: Decimal = Field(default=Decimal("0.05"), ge=0, le=Decimal("10"))
    """Largest difference (tax included) carried by a payment-difference line."""
    accounting: AccountingOptions = AccountingOptions()
    """Zone or country → ERP accounting category, with and without tax."""
    grouping: GroupingOptions = GroupingOptions()
    """Group a day's orders into one document the next day."""
    match_customers: bool = True
    """Find the order's ERP customer by the ERP code the shop keeps on its customer, then by the
    order's billing and account e-mails, before creating one."""

    @property
    def missing_required(self) -> list[str]:
        """Required article settings left empty."""
        names = ["miscellaneous_article", "shipping_article", "packaging_article"]
        missing = [f"orders.{n}" for n in names if not getattr(self, n)]
        if not self.discount_articles:
            missing.append("orders.discount_articles")
        if self.rounding is RoundingMode.ROUNDING_LINE:
            if not self.rounding_article:
                missing.append("orders.rounding_article")
            if self.tax_code_for(Decimal(0)) is None:
                missing.append('orders.tax_codes["0"]')
        if self.payment_difference_article and self.tax_code_for(Decimal(0)) is None:
            missing.append('orders.tax_codes["0"]')
        if self.grouping.orders != "none" and not self.grouping.account:
            missing.append("orders.grouping.account")
        return sorted(set(missing), key=missing.index)

    def tax_code_for(self, rate: Decimal) -> str | None:
        """The ERP tax code mapped to a shop rate, comparing numerically (``5.50`` = ``5.5``)."""
        for key, code in self.tax_codes.items():
            try:
                if Decimal(key) == rate:
                    return code
            except ArithmeticError:
                continue
        return None

    @model_validator(mode="after")
    def _tax_keys(self) -> OrderOptions:
        for key in self.tax_codes:
            try:
                Decimal(key)
            except ArithmeticError as exc:
                raise ValueError(f"tax_codes: {key!r} is not a rate in percent") from exc
        return self


class StatusOptions(_Section):
    """Update order statuses: where the ERP document stands → the shop order's status (SPEC §8)."""

    map: dict[str, str] = Field(default_factory=dict)
    """ERP document type, or type and status (``"quote:2"``: a quote with status 2, accepted), →
    shop status. The most precise key wins; a document whose type is not mapped only gets its
    note. E.g. ``{quote = "on-hold", "quote:2" = "processing", delivery_note = "completed"}``."""
    note: str = "Gestion commerciale : %DT %DN"
    """The order note left at each change; %DN document number, %DT document type in words,
    %ST shop status set, %OI order id."""
    write_document_number: bool = True
    """Write the ERP document number on the shop order (where the platform keeps it)."""

    @field_validator("map")
    @classmethod
    def _keys(cls, value: dict[str, str]) -> dict[str, str]:
        kinds = {t.value for t in DocumentType}
        for key in value:
            kind, _, status = key.partition(":")
            if kind not in kinds or (status and not status.isdigit()):
                raise ValueError(
                    f"{key!r}: expected a document type ({', '.join(sorted(kinds))}) or type:status"
                )
        return value

    def status_for(self, document_type: DocumentType, status: int) -> str | None:
        """The shop status of a document of this type and status, if mapped."""
        return self.map.get(f"{document_type.value}:{status}") or self.map.get(document_type.value)


class InvoiceOptions(_Section):
    """Send invoices (Factur-X PDF) to the shop orders (SPEC §8): the legal mentions the ERP does
    not hold."""

    legal_form: str = ""
    """Legal form and share capital, e.g. ``SAS au capital de 10 000 €``."""
    registry: str = ""
    """Trade register, e.g. ``RCS Nîmes 123 456 789``."""
    siret: str = ""
    """The seller's SIRET when the ERP company has none."""
    vat_number: str = ""
    """The seller's VAT number when the ERP company has none."""
    payment_terms: str = "Paiement à la commande"
    """Payment terms printed on invoices (with the due date when the ERP gives one)."""
    late_payment: str = (
        "En cas de retard de paiement : pénalités au taux de trois fois le taux d'intérêt légal, et "
        "indemnité forfaitaire pour frais de recouvrement de 40 € (articles L441-10 et D441-5 du Code "
        "de commerce). Pas d'escompte pour paiement anticipé."
    )
    """Late-payment penalties, the 40 € recovery indemnity and early-payment discount."""
    types: list[DocumentType] = Field(default_factory=lambda: [DocumentType.INVOICE])
    """Which issued documents are sent: ``invoice`` and/or ``credit_note``."""
    message: str = ""
    """A message added to what the customer reads with each invoice."""

    @field_validator("types")
    @classmethod
    def _types(cls, value: list[DocumentType]) -> list[DocumentType]:
        allowed = {DocumentType.INVOICE, DocumentType.CREDIT_NOTE}
        wrong = [t.value for t in value if t not in allowed]
        if wrong:
            raise ValueError(f"{', '.join(wrong)}: only invoice and credit_note documents are sent")
        return value


class RefundMode(StrEnum):
    CREDIT_NOTE = "credit_note"
    RETURN = "return"


class RefundOptions(_Section):
    """Import refunds: each shop refund becomes one ERP credit note or return (SPEC §8)."""

    document: RefundMode = RefundMode.CREDIT_NOTE
    """``credit_note`` (facture d'avoir; the ERP must allow invoices) or ``return`` (bon de
    retour: stock comes back)."""
    refund_article: str = ""
    """Article of a refund of an amount only (no items named): its lines, one per tax code of the
    order pro rata of its amounts with tax. Empty: ``orders.miscellaneous_article``."""
    reference_template: str = "Avoir %OI"
    """Reference of the credit note (placeholders of ``orders.reference_template``)."""


class Profile(_Section):
    """One ERP database + one shop + the options of every job."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    """Profile name (letters, digits, ``_ . -``)."""
    language: Literal["fr", "en"] = "fr"
    """Language of the journal."""
    data_dir: Path = Path()
    """Folder for state, logs and backups, relative to the profile file."""
    secrets_file: Path | None = None
    """Optional ``KEY=VALUE`` file (owner-only permissions) consulted when a secret's environment
    variable is not set, relative to the profile file."""
    erp: SerializeAsAny[ErpSettings]
    """The ERP; the table's keys depend on its ``kind``."""
    shop: SerializeAsAny[ShopSettings]
    """The shop; the table's keys depend on its ``kind``."""
    state: StateSettings = StateSettings()
    """The state store."""
    products: ProductOptions = ProductOptions()
    """Export products."""
    prices: PriceOptions = PriceOptions()
    """Update prices."""
    stock: StockOptions = StockOptions()
    """Update stock."""
    customers: CustomerOptions = CustomerOptions()
    """Customers."""
    orders: OrderOptions = OrderOptions()
    """Import orders."""
    statuses: StatusOptions = StatusOptions()
    """Update order statuses."""
    invoices: InvoiceOptions = InvoiceOptions()
    """Send invoices."""
    refunds: RefundOptions = RefundOptions()
    """Import refunds as credit notes or returns."""
    schedules: ScheduleOptions = ScheduleOptions()
    """Scheduled runs of each job (``comptoir serve`` runs them)."""
    alerts: AlertOptions | None = None
    """E-mail alerts; none: no mail is sent."""

    @field_validator("erp", mode="wrap")
    @classmethod
    def _erp(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        from comptoir.registry import erp_settings_model

        return _by_kind(value, handler, ErpSettings, erp_settings_model)

    @field_validator("shop", mode="wrap")
    @classmethod
    def _shop(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        from comptoir.registry import shop_settings_model

        return _by_kind(value, handler, ShopSettings, shop_settings_model)

    def state_url(self) -> str:
        return self.state.url or f"sqlite:///{(self.data_dir / 'state.sqlite').as_posix()}"

    def log_path(self) -> Path:
        return self.data_dir / "logs" / f"{self.name}.log"


def _by_kind(
    value: Any,
    handler: ValidatorFunctionWrapHandler,
    base: type[_Section],
    model_of: Any,
) -> Any:
    """Validate a ``[shop]`` or ``[erp]`` table with the settings model of its ``kind``."""
    if isinstance(value, base) or not isinstance(value, dict):
        return handler(value)
    try:
        model = model_of(value.get("kind"))
    except LookupError as exc:
        message = exc.args[0] if "kind" in value else "is required (" + exc.args[0].split("(", 1)[-1]
        error = {
            "type": "value_error",
            "loc": ("kind",),
            "input": value.get("kind"),
            "ctx": {"error": message},
        }
        raise ValidationError.from_exception_data(base.__name__, [error]) from None  # type: ignore[list-item]
    return model.model_validate(value)
