"""How a webservice resource is described: PrestaShop's ``ObjectModel::$definition`` fields merged
with the class's ``$webserviceParameters``, in the order ``ObjectModel::getWebserviceParameters``
gives them (``id`` first, then the webservice fields, then the remaining definition fields).

``Field`` keeps what the webservice uses: the type (``TYPE_INT``…), the validator
(``Validate::is…``), the size, ``required``, ``lang`` (multilingual), allowed ``values`` and
``default``, ``allow_null``, the database column's decimals, the ``xlink_resource``, and the
``getter``/``setter`` of computed fields (``setter=False``: read-only, error 93 on write).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    """``int``, ``bool``, ``float``, ``string``, ``html``, ``date`` or ``virtual`` (webservice only)."""
    validate: str | None = None
    size: int | None = None
    required: bool = False
    lang: bool = False
    values: tuple[str, ...] = ()
    default: str | None = None
    nullable: bool = False
    """``allow_null``: a NULL written stays NULL (else it becomes 0, '' or 0000-00-00)."""
    decimals: int = 6
    """Scale of the DECIMAL column: how MySQL prints the stored value (``19.900000``)."""
    day: bool = False
    """A DATE column (``0000-00-00``) rather than DATETIME (``0000-00-00 00:00:00``)."""
    xlink: str | None = None
    getter: str | None = None
    """Computed on output (``''``: ``'getter' => false``, the object's own property)."""
    setter: bool | str = True
    """``False``: not writable (error 93); a name: a custom setter."""
    modifier: str | None = None
    """A ``ws_modifier`` run on POST (``modifierWsLinkRewrite``)."""

    @property
    def dynamic(self) -> bool:
        """A field with a getter: not filterable (error 34), ``notFilterable="true"`` in XML."""
        return self.getter is not None


@dataclass(frozen=True)
class AssocField:
    name: str
    required: bool = False
    setter: bool = True
    xlink: str | None = None


@dataclass(frozen=True)
class Association:
    name: str
    """The association's node (``categories``), also the resource its ids point to."""
    node: str
    """Each item's node (``category``)."""
    fields: tuple[AssocField, ...]
    writable: bool = True
    """``'setter' => false``: ignored on write (``stock_availables``, ``order_rows``)."""
    virtual: bool = False
    api: str | None = None


@dataclass(frozen=True)
class Resource:
    name: str
    """The URL segment and plural node (``products``)."""
    node: str
    """The singular node (``product``)."""
    cls: str
    """PrestaShop's class, named in validation messages (``Property Product->name is empty.``)."""
    fields: tuple[Field, ...]
    associations: tuple[Association, ...] = ()
    hidden: tuple[str, ...] = ()
    """``hidden_fields``: never shown nor filterable."""
    by_name: dict[str, Field] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_name.update({"id": Field("id", "int")})
        self.by_name.update({item.name: item for item in self.fields})

    def field(self, name: str) -> Field | None:
        return self.by_name.get(name)

    def association(self, name: str) -> Association | None:
        return next((a for a in self.associations if a.name == name), None)

    @property
    def all_fields(self) -> list[Field]:
        """``id`` then every field, in the webservice's order."""
        return [self.by_name["id"], *self.fields]

    @property
    def has_dates(self) -> bool:
        return "date_add" in self.by_name or "date_upd" in self.by_name


def f(
    name: str,
    kind: str,
    validate: str | None = None,
    *,
    size: int | None = None,
    required: bool = False,
    lang: bool = False,
    values: tuple[str, ...] = (),
    default: str | None = None,
    nullable: bool = False,
    decimals: int = 6,
    day: bool = False,
    xlink: str | None = None,
    getter: str | None = None,
    setter: bool | str = True,
    modifier: str | None = None,
) -> Field:
    return Field(
        name,
        kind,
        validate,
        size,
        required,
        lang,
        values,
        default,
        nullable,
        decimals,
        day,
        xlink,
        getter,
        setter,
        modifier,
    )


def a(name: str, *, required: bool = False, setter: bool = True, xlink: str | None = None) -> AssocField:
    return AssocField(name, required, setter, xlink)


def assoc(
    name: str,
    node: str,
    fields: tuple[AssocField, ...],
    *,
    writable: bool = True,
    virtual: bool = False,
    api: str | None = None,
) -> Association:
    return Association(name, node, fields, writable, virtual, api)
