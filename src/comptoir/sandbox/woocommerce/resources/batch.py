"""``WC_REST_Controller::batch_items``: create, then update, then delete; one result per item.

At most 100 items in all (filter ``woocommerce_rest_batch_items_limit``), else 413 and nothing is
done. Items are processed one by one, not in a transaction; a failed item is reported as
``{"id": …, "error": {code, message, data}}`` inside a 200 answer. Deletes are forced.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from comptoir.sandbox.woocommerce.calls import Call, Reply, parse_bool
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError
from comptoir.sandbox.woocommerce.resources.routing import EDIT, Handler, Route, crud_routes, route

BATCH_LIMIT = 100

ItemFn = Callable[[Any], Any]


def run_batch(
    call: Call,
    ctx: Context,
    route_name: str,
    *,
    create: ItemFn | None = None,
    update: ItemFn | None = None,
    delete: ItemFn | None = None,
    defaults: dict[str, Any] | Callable[[], dict[str, Any]] | None = None,
) -> Reply:
    """Each ``create`` item is read as a POST whose body is the item, whose query is the batch's
    query and whose defaults are the schema's; each ``update`` item as a PUT of the item alone;
    each ``delete`` id as ``?id=…&force=true``. Sub-requests are not validated."""
    if callable(defaults):
        defaults = defaults()
    body = call.body if isinstance(call.body, dict) else {}
    ops = {op: body[op] for op in ("create", "update", "delete") if body.get(op)}
    total = sum(len(items) if isinstance(items, list) else 1 for items in ops.values())
    if total > BATCH_LIMIT:
        raise WooError(
            "woocommerce_rest_request_entity_too_large",
            f"Unable to accept more than {BATCH_LIMIT} items for this request.",
            413,
        )
    handlers = {"create": create, "update": update, "delete": delete}
    out: dict[str, list[Any]] = {}
    for op in ("create", "update", "delete"):
        items = ops.get(op)
        fn = handlers[op]
        if items is None or fn is None or not isinstance(items, list):
            continue
        results: list[Any] = []
        for index, item in enumerate(items):
            if op == "delete":
                try:
                    ident = int(item)
                except (TypeError, ValueError):
                    ident = 0
                if ident == 0:
                    continue
                item = ident
            elif op == "create" and isinstance(item, dict):
                item = {**(defaults or {}), **call.request.query, **item}
            try:
                fault = ctx.item_fault(route_name, op, index, item) if ctx.item_fault else None
                if fault is not None:
                    raise fault
                results.append(fn(item))
            except WooError as exc:
                ident = 0 if op == "create" else (item if op == "delete" else _item_id(item))
                results.append({"id": ident, "error": exc.body()})
        out[op] = results
    return Reply(out)


def batch_route(
    ctx: Context,
    path: str,
    *,
    create: ItemFn,
    update: ItemFn,
    delete: Callable[[int, bool], Any],
    defaults: dict[str, Any] | Callable[[], dict[str, Any]] | None = None,
) -> Route:
    """The ``…/batch`` route of a resource; its deletes are forced, as WooCommerce forces them."""
    return route(
        EDIT,
        path,
        lambda c: run_batch(
            c,
            ctx,
            path,
            create=create,
            update=update,
            delete=lambda i: delete(int(i), True),
            defaults=defaults,
        ),
        "batch",
    )


def _item_id(item: Any) -> Any:
    if isinstance(item, dict):
        return item.get("id")
    return None


def resource_routes(
    ctx: Context,
    base: str,
    *,
    list_items: Handler,
    view: Handler,
    create: ItemFn,
    update: ItemFn,
    delete: Callable[[int, bool], Any],
) -> list[Route]:
    """A CRUD controller's routes (``WC_REST_CRUD_Controller::register_routes``): the collection
    (list, create → 201), its ``/batch``, and one item (view, edit, delete with ``force``)."""

    def force(call: Call) -> bool:
        return parse_bool("force", call.query.get("force") or "false")

    routes = crud_routes(
        base,
        list_items=list_items,
        create=lambda c: Reply(create(c.body), 201),
        view=view,
        edit=lambda c: Reply(update({**c.body, "id": int(c.route["id"])})),
        delete=lambda c: Reply(delete(int(c.route["id"]), force(c))),
    )
    routes.insert(2, batch_route(ctx, f"{base}/batch", create=create, update=update, delete=delete))
    return routes
