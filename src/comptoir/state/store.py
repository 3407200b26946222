"""The state store: one object over the state database, with the few operations jobs need.

Every write is set-based (one statement for thousands of bindings or fingerprints) and
SQLite runs in WAL mode with a busy timeout, so two processes of one profile can share it.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Engine,
    RowMapping,
    Select,
    Table,
    Update,
    and_,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError
from sqlalchemy.pool import SingletonThreadPool, StaticPool

from comptoir.state.audit import AuditLog
from comptoir.state.locks import RunLocks
from comptoir.state.marks import AlertMarks
from comptoir.state.tables import BINDINGS, FINGERPRINTS, JOB_MARKS, JOURNAL_LINES, ORDER_LEDGER, RUNS
from comptoir.state.tasks import TaskLedger
from comptoir.state.window import Window

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def latest_revision() -> str:
    """The revision of the newest migration, from the file names: migrations are numbered files
    (``versions/0004_task_ledger.py`` holds revision ``"0004"``), in one line (the tests check this
    agrees with Alembic's own head)."""
    return max(path.name.split("_", 1)[0] for path in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


_CHUNK = 500
KEYED_READ_MAX = 3_000
"""Above this many keys, a keyed read of bindings or fingerprints reads them all and filters."""


def utcnow() -> datetime:
    return datetime.now(UTC)


Clock = Callable[[], datetime]
"""Gives the current UTC instant; the store takes one so tests can move time without waiting."""

UNFINISHED_STATES = ("claimed", "written")
"""Ledger states of an order not finished yet (``done`` and ``failed`` are finished)."""


class StateError(Exception):
    """The state database cannot be opened; the message names it and says why."""


def _reason(exc: BaseException) -> str:
    original = getattr(exc, "orig", None)
    text = str(original if original is not None else exc).strip()
    if isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror
    return text.splitlines()[0] if text else type(exc).__name__


class BindingConflict(Exception):
    """A shop object is already bound to another ERP key: never hidden, always reported."""


@cache
def _settle_statement(columns: tuple[str, ...]) -> Update:
    """``UPDATE ledger SET <columns> WHERE profile, order and claim token`` (bound parameters)."""
    return (
        update(ORDER_LEDGER)
        .where(
            ORDER_LEDGER.c.profile == bindparam("w_profile"),
            ORDER_LEDGER.c.shop_order_id == bindparam("w_order"),
            ORDER_LEDGER.c.claim_token == bindparam("w_token"),
        )
        .values({name: bindparam(name) for name in columns})
    )


@dataclass(frozen=True, slots=True)
class BoundObject:
    shop_id: str
    parent_id: str | None


@dataclass(frozen=True, slots=True)
class LedgerRow:
    shop_order_id: str
    state: str
    erp_document: str | None
    error: str | None
    attempts: int
    updated_at: datetime
    claim_expires_at: datetime | None
    fingerprint: str | None = None
    """What the order was when imported (``jobs/order_changes.py``)."""

    def held(self, now: datetime) -> bool:
        """Another run holds this order: its claim is alive (a claim past its expiry is taken over)."""
        return (
            self.state in UNFINISHED_STATES
            and self.claim_expires_at is not None
            and self.claim_expires_at > now
        )


@dataclass(frozen=True, slots=True)
class Claim:
    """The right to import one order, until ``expires_at``."""

    shop_order_id: str
    token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class RunRow:
    id: int
    job: str
    status: str
    dry_run: bool
    started_at: datetime
    finished_at: datetime | None
    counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class StoredLine:
    at: datetime
    level: str
    item: str | None
    message: str


@dataclass(frozen=True, slots=True)
class WrittenMark:
    """What ``StateStore.mark_written`` records for one order (see there)."""

    claim: Claim
    document: str
    erp_total: str
    shop_total: str
    fingerprint: str | None = None


def _ledger_row(row: RowMapping) -> LedgerRow:
    return LedgerRow(
        row["shop_order_id"],
        row["state"],
        row["erp_document"],
        row["error"],
        row["attempts"],
        row["updated_at"],
        row["claim_expires_at"],
        row["fingerprint"],
    )


def _run_row(r: RowMapping) -> RunRow:
    return RunRow(
        r["id"],
        r["job"],
        r["status"],
        r["dry_run"],
        r["started_at"],
        r["finished_at"],
        {k: r[k] for k in ("created", "updated", "unchanged", "skipped", "failed")},
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _upsert(engine: Engine, table: Table, unique: Sequence[str], changed: Sequence[str]) -> Any | None:
    """``INSERT … ON CONFLICT (unique) DO UPDATE SET changed`` on SQLite and PostgreSQL (one
    statement where a delete then an insert took two); ``None`` on another database."""
    name = engine.dialect.name
    if name not in ("sqlite", "postgresql"):
        return None
    statement: Any = import_module(f"sqlalchemy.dialects.{name}").insert(table)
    return statement.on_conflict_do_update(
        index_elements=[table.c[column] for column in unique],
        set_={column: statement.excluded[column] for column in changed},
    )


def _many(
    conn: Connection,
    statement: Any,
    constant: Mapping[str, Any],
    varying: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> None:
    """Run ``statement`` once per row: the columns ``constant`` names take its values, the
    ``varying`` ones each row's, in that order.

    The rows go straight to the database driver, each value converted by its column type's bind
    processing (once for the constants): SQLAlchemy's own handling of each row costs more than
    the database's writing it (tens of thousands of rows at a first export)."""
    if not rows:
        return
    compiled = statement.compile(dialect=conn.dialect, column_keys=[*constant, *varying])
    names = list(compiled.positiontup or ()) if compiled.positional else list(compiled.binds)
    if set(names) != {*constant, *varying}:
        for chunk in _chunks(rows):
            conn.execute(statement, [{**constant, **dict(zip(varying, row, strict=True))} for row in chunk])
        return
    processors = {name: compiled.binds[name].type.bind_processor(conn.dialect) for name in names}
    fixed = {
        name: _driver_value(conn, processors[name](value) if processors[name] else value)
        for name, value in constant.items()
    }
    converted = [
        (index, process) for index, name in enumerate(varying) if (process := processors[name]) is not None
    ]
    if converted:
        editable = [list(row) for row in rows]
        for row in editable:
            for index, process in converted:
                row[index] = process(row[index])
        rows = editable
    at = {name: index for index, name in enumerate(varying)}
    if compiled.positional:
        order = [(name in fixed, fixed.get(name), at.get(name, 0)) for name in names]
        params: list[Any] = [
            tuple(value if is_fixed else row[i] for is_fixed, value, i in order) for row in rows
        ]
    else:
        params = [{**fixed, **dict(zip(varying, row, strict=True))} for row in rows]
    for chunk in _chunks(params):
        conn.exec_driver_sql(compiled.string, list(chunk))


def _driver_value(conn: Connection, value: Any) -> Any:
    """A value every row shares as the driver would adapt it for each row, adapted once: SQLite's
    driver turns a ``datetime`` into text with a Python function called per row (a tenth of a
    first export's writes of fingerprints and bindings)."""
    if isinstance(value, datetime) and conn.dialect.driver == "pysqlite":
        import sqlite3

        adapt = sqlite3.adapters.get((type(value), sqlite3.PrepareProtocol))
        if adapt is not None:
            return adapt(value)
    return value


def _keyed_rows(
    conn: Connection, query: Select[Any], column: ColumnElement[Any], keys: Collection[str] | None
) -> Iterable[Any]:
    """The rows of ``query`` (``column`` first); with ``keys``, only those whose ``column`` is one of
    them. Many keys
    are read as the whole query filtered here: one scan costs less than thousands of look-ups."""
    if keys is None:
        return conn.execute(query)
    if len(keys) > KEYED_READ_MAX:
        wanted = set(keys)
        return [row for row in conn.execute(query) if row[0] in wanted]
    keyed = query.where(column.in_(bindparam("keys", expanding=True)))
    return [row for chunk in _chunks(sorted(set(keys))) for row in conn.execute(keyed, {"keys": list(chunk)})]


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


AspectName = TypeVar("AspectName", bound=str)


class StateStore:
    """Bindings, fingerprints, order ledger, runs and journal of every profile."""

    def __init__(self, engine: Engine, *, clock: Clock = utcnow) -> None:
        self.engine = engine
        self.clock = clock
        self.locks = RunLocks(engine, self.now)
        """Run locks: one run of a profile's job at a time (``locks.py``)."""
        self.alert_marks = AlertMarks(engine, self.now)
        """Alerts already mailed (``marks.py``)."""
        self.audit = AuditLog(engine, self.now)
        """What people did from the dashboard (``audit.py``)."""
        self.tasks = TaskLedger(engine, self.now)
        """Status updates, invoices and credit notes sent exactly once (``tasks.py``)."""

    def now(self) -> datetime:
        """The store's current UTC instant (claims expire by it; runs are dated by it)."""
        return self.clock()

    @classmethod
    def open(cls, url: str, *, clock: Clock = utcnow) -> StateStore:
        """Open (creating and migrating as needed) the store at a SQLAlchemy URL.

        Raises ``StateError`` naming the URL when it cannot be opened (folder not writable, a
        file that is not a database, server unreachable, driver missing).
        """
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise StateError(f"{url!r} is not a database URL") from None
        described = parsed.render_as_string(hide_password=True)
        try:
            if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(parsed)
        except (OSError, SQLAlchemyError, ImportError) as exc:
            raise StateError(f"state database {described}: cannot be opened ({_reason(exc)})") from exc
        if parsed.get_backend_name() == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine, clock=clock)
        try:
            store.upgrade()
        except (OSError, SQLAlchemyError) as exc:
            engine.dispose()
            raise StateError(f"state database {described}: cannot be opened ({_reason(exc)})") from exc
        return store

    def upgrade(self) -> None:
        """Bring the schema to the latest migration.

        A store already at the latest revision (every run but the first after an update) is left
        as it is without loading Alembic, which loads the SQL dialect of every database it knows.
        """
        if self.revision() == latest_revision():
            return
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def revision(self) -> str | None:
        """The schema's migration revision; ``None`` when it has none, or it cannot be read."""
        try:
            with self.engine.connect() as connection:
                rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        except SQLAlchemyError:
            return None
        return str(rows[0][0]) if len(rows) == 1 else None

    def close(self) -> None:
        self.engine.dispose()

    # --- bindings ------------------------------------------------------------------------
    def bindings(
        self, profile: str, kind: str, keys: Collection[str] | None = None
    ) -> dict[str, BoundObject]:
        """ERP key → where it lives in the shop; with ``keys``, only those keys' bindings (a run
        that reads what changed looks up what it sends, not every binding of the profile)."""
        query = select(BINDINGS.c.erp_key, BINDINGS.c.shop_id, BINDINGS.c.parent_shop_id).where(
            BINDINGS.c.profile == profile, BINDINGS.c.kind == kind
        )
        with self.engine.connect() as conn:
            return {
                row[0]: BoundObject(row[1], row[2])
                for row in _keyed_rows(conn, query, BINDINGS.c.erp_key, keys)
            }

    def taken_shop_ids(self, profile: str, kind: str, shop_ids: Collection[str]) -> set[str]:
        """Those of ``shop_ids`` already bound to an ERP key of this kind."""
        query = select(BINDINGS.c.shop_id).where(BINDINGS.c.profile == profile, BINDINGS.c.kind == kind)
        with self.engine.connect() as conn:
            return {row[0] for row in _keyed_rows(conn, query, BINDINGS.c.shop_id, shop_ids)}

    def bound_parents(self, profile: str, kind: str, keys: Collection[str]) -> set[str]:
        """Those of ``keys`` bound to a shop object other bindings name as their parent (a variable
        product, whose stock is its variations')."""
        parents = (
            select(BINDINGS.c.parent_shop_id)
            .distinct()
            .where(
                BINDINGS.c.profile == profile,
                BINDINGS.c.kind == kind,
                BINDINGS.c.parent_shop_id.is_not(None),
            )
        )
        with self.engine.connect() as conn:
            parent_ids = {row[0] for row in conn.execute(parents)}
        if not parent_ids:
            return set()
        return {
            key for key, place in self.bindings(profile, kind, keys).items() if place.shop_id in parent_ids
        }

    def bind(self, profile: str, kind: str, items: Mapping[str, BoundObject]) -> None:
        """Record ERP key → shop object; raise ``BindingConflict`` if a shop id is taken by another key."""
        if not items:
            return
        with self.engine.begin() as conn:
            self._bind(conn, profile, kind, items)

    def record_sent(
        self,
        profile: str,
        kind: str,
        places: Mapping[str, BoundObject],
        digests: Mapping[AspectName, Mapping[str, str]],
    ) -> None:
        """What one batch of a push did, in one transaction: the new bindings (``bind``) and the
        fingerprints sent, by aspect (``record_fingerprints``)."""
        if not places and not any(digests.values()):
            return
        with self.engine.begin() as conn:
            if places:
                self._bind(conn, profile, kind, places)
            for aspect, sent in digests.items():
                self._record_fingerprints(conn, profile, kind, aspect, sent)

    async def record_sent_aside(
        self,
        profile: str,
        kind: str,
        places: Mapping[str, BoundObject],
        digests: Mapping[AspectName, Mapping[str, str]],
    ) -> None:
        """``record_sent`` in a worker thread: the caller's event loop keeps reading the shop's
        answers and sending requests while the database writes (the drivers let other threads
        run while the database works). An in-memory SQLite database, which another thread would
        see empty, is written in place."""
        if isinstance(self.engine.pool, SingletonThreadPool | StaticPool):
            self.record_sent(profile, kind, places, digests)
            return
        await asyncio.to_thread(self.record_sent, profile, kind, places, digests)

    def _bind(self, conn: Connection, profile: str, kind: str, items: Mapping[str, BoundObject]) -> None:
        now = self.now()
        shop_ids = [b.shop_id for b in items.values()]
        taken: dict[str, str] = {}
        for chunk in _chunks(shop_ids):
            rows = conn.execute(
                select(BINDINGS.c.shop_id, BINDINGS.c.erp_key).where(
                    BINDINGS.c.profile == profile, BINDINGS.c.kind == kind, BINDINGS.c.shop_id.in_(chunk)
                )
            )
            taken.update({r[0]: r[1] for r in rows})
        clashes = [
            f"shop {kind} {b.shop_id} is bound to {taken[b.shop_id]!r}, not {key!r}"
            for key, b in items.items()
            if b.shop_id in taken and taken[b.shop_id] != key
        ]
        if clashes:
            raise BindingConflict("; ".join(clashes[:5]))
        keys = list(items)
        for chunk in _chunks(keys):
            conn.execute(
                delete(BINDINGS).where(
                    BINDINGS.c.profile == profile, BINDINGS.c.kind == kind, BINDINGS.c.erp_key.in_(chunk)
                )
            )
        _many(
            conn,
            insert(BINDINGS),
            {"profile": profile, "kind": kind, "updated_at": now},
            ("erp_key", "shop_id", "parent_shop_id"),
            [(key, b.shop_id, b.parent_id) for key, b in items.items()],
        )

    def unbind(self, profile: str, kind: str, erp_keys: Iterable[str]) -> None:
        keys = list(erp_keys)
        with self.engine.begin() as conn:
            for chunk in _chunks(keys):
                conn.execute(
                    delete(BINDINGS).where(
                        BINDINGS.c.profile == profile, BINDINGS.c.kind == kind, BINDINGS.c.erp_key.in_(chunk)
                    )
                )
                conn.execute(
                    delete(FINGERPRINTS).where(
                        FINGERPRINTS.c.profile == profile,
                        FINGERPRINTS.c.kind == kind,
                        FINGERPRINTS.c.erp_key.in_(chunk),
                    )
                )

    # --- fingerprints --------------------------------------------------------------------
    def fingerprints(
        self, profile: str, kind: str, aspect: str, keys: Collection[str] | None = None
    ) -> dict[str, str]:
        """ERP key → digest of the last payload of this aspect sent to the shop; with ``keys``,
        only those keys' digests."""
        query = select(FINGERPRINTS.c.erp_key, FINGERPRINTS.c.digest).where(
            FINGERPRINTS.c.profile == profile, FINGERPRINTS.c.kind == kind, FINGERPRINTS.c.aspect == aspect
        )
        with self.engine.connect() as conn:
            return {row[0]: row[1] for row in _keyed_rows(conn, query, FINGERPRINTS.c.erp_key, keys)}

    def record_fingerprints(self, profile: str, kind: str, aspect: str, digests: Mapping[str, str]) -> None:
        if not digests:
            return
        with self.engine.begin() as conn:
            self._record_fingerprints(conn, profile, kind, aspect, digests)

    def _record_fingerprints(
        self, conn: Connection, profile: str, kind: str, aspect: str, digests: Mapping[str, str]
    ) -> None:
        if not digests:
            return
        now = self.now()
        keys = list(digests)
        upsert = _upsert(
            self.engine, FINGERPRINTS, ("profile", "kind", "erp_key", "aspect"), ("digest", "sent_at")
        )
        if upsert is None:
            for chunk in _chunks(keys):
                conn.execute(
                    delete(FINGERPRINTS).where(
                        FINGERPRINTS.c.profile == profile,
                        FINGERPRINTS.c.kind == kind,
                        FINGERPRINTS.c.aspect == aspect,
                        FINGERPRINTS.c.erp_key.in_(chunk),
                    )
                )
        _many(
            conn,
            upsert if upsert is not None else insert(FINGERPRINTS),
            {"profile": profile, "kind": kind, "aspect": aspect, "sent_at": now},
            ("erp_key", "digest"),
            list(digests.items()),
        )

    # --- order ledger --------------------------------------------------------------------
    def ledger(self, profile: str, shop_order_ids: Iterable[str] | None = None) -> dict[str, LedgerRow]:
        """What the ledger knows of these orders (of all the profile's orders when ``None``)."""
        query = select(ORDER_LEDGER).where(ORDER_LEDGER.c.profile == profile)
        ids = None if shop_order_ids is None else list(shop_order_ids)
        result: dict[str, LedgerRow] = {}
        with self.engine.connect() as conn:
            batches = (
                [query]
                if ids is None
                else [query.where(ORDER_LEDGER.c.shop_order_id.in_(chunk)) for chunk in _chunks(ids)]
            )
            for batch in batches:
                for row in conn.execute(batch).mappings():
                    result[row["shop_order_id"]] = _ledger_row(row)
        return result

    def unfinished_orders(self, profile: str) -> dict[str, LedgerRow]:
        """The orders a run left claimed or written: every run looks at them again, whatever its window."""
        query = select(ORDER_LEDGER).where(
            ORDER_LEDGER.c.profile == profile, ORDER_LEDGER.c.state.in_(UNFINISHED_STATES)
        )
        with self.engine.connect() as conn:
            return {row["shop_order_id"]: _ledger_row(row) for row in conn.execute(query).mappings()}

    def claim_order(
        self, profile: str, shop_order_id: str, ttl: timedelta, *, retry_failed: bool = False
    ) -> Claim | None:
        """Take the right to import an order, or ``None`` if it is done or held by a live claim.

        A claim that expired (a crashed run) is taken over; a ``written`` order whose claim was
        given back or expired is claimed again so the run can finish telling the shop; a
        ``failed`` one only with ``retry_failed``. A live claim, ``claimed`` or ``written``, is
        never taken: the order is held by another run (see ``LedgerRow.held``).
        """
        now = self.now()
        token = str(uuid.uuid4())
        expires = now + ttl
        claimed = {"state": "claimed", "claim_token": token, "claim_expires_at": expires, "updated_at": now}
        with self.engine.begin() as conn:
            try:
                with conn.begin_nested():
                    conn.execute(
                        insert(ORDER_LEDGER).values(
                            profile=profile, shop_order_id=shop_order_id, attempts=1, **claimed
                        )
                    )
                return Claim(shop_order_id, token, expires)
            except IntegrityError:
                pass
            return self._take_over(conn, profile, shop_order_id, now, expires, retry_failed)

    def claim_orders(
        self, profile: str, shop_order_ids: Sequence[str], ttl: timedelta, *, retry_failed: bool = False
    ) -> dict[str, Claim | None]:
        """``claim_order`` for several orders in one transaction: each id → its claim, or
        ``None`` when it is done or held (the same rules, order by order)."""
        ids = list(dict.fromkeys(shop_order_ids))
        if not ids:
            return {}
        now = self.now()
        expires = now + ttl
        claims: dict[str, Claim | None] = {}
        try:
            with self.engine.begin() as conn:
                known = {
                    row.shop_order_id: row
                    for chunk in _chunks(ids)
                    for row in conn.execute(
                        select(
                            ORDER_LEDGER.c.shop_order_id,
                            ORDER_LEDGER.c.state,
                            ORDER_LEDGER.c.claim_expires_at,
                        ).where(ORDER_LEDGER.c.profile == profile, ORDER_LEDGER.c.shop_order_id.in_(chunk))
                    )
                }
                new = [shop_id for shop_id in ids if shop_id not in known]
                rows = []
                for shop_id in new:
                    token = str(uuid.uuid4())
                    claims[shop_id] = Claim(shop_id, token, expires)
                    rows.append(
                        {
                            "profile": profile,
                            "shop_order_id": shop_id,
                            "attempts": 1,
                            "state": "claimed",
                            "claim_token": token,
                            "claim_expires_at": expires,
                            "updated_at": now,
                        }
                    )
                for chunk in _chunks(rows):
                    conn.execute(insert(ORDER_LEDGER), list(chunk))
                for shop_id in ids:
                    if shop_id in known:
                        claims[shop_id] = self._take_over(conn, profile, shop_id, now, expires, retry_failed)
        except IntegrityError:  # another run inserted one of them meanwhile: one by one, as ever
            return {
                shop_id: self.claim_order(profile, shop_id, ttl, retry_failed=retry_failed) for shop_id in ids
            }
        return claims

    def _take_over(
        self,
        conn: Connection,
        profile: str,
        shop_order_id: str,
        now: datetime,
        expires: datetime,
        retry_failed: bool,
    ) -> Claim | None:
        """Claim an order the ledger holds, when ``claim_order``'s rules allow it."""
        token = str(uuid.uuid4())
        takeable = [
            and_(ORDER_LEDGER.c.state == "claimed", ORDER_LEDGER.c.claim_expires_at <= now),
            and_(
                ORDER_LEDGER.c.state == "written",
                or_(ORDER_LEDGER.c.claim_expires_at.is_(None), ORDER_LEDGER.c.claim_expires_at <= now),
            ),
        ]
        if retry_failed:
            takeable.append(ORDER_LEDGER.c.state == "failed")
        result = conn.execute(
            update(ORDER_LEDGER)
            .where(
                ORDER_LEDGER.c.profile == profile,
                ORDER_LEDGER.c.shop_order_id == shop_order_id,
                or_(*takeable),
            )
            .values(
                attempts=ORDER_LEDGER.c.attempts + 1,
                state="claimed",
                claim_token=token,
                claim_expires_at=expires,
                updated_at=now,
            )
        )
        return Claim(shop_order_id, token, expires) if result.rowcount == 1 else None

    def _settle(self, profile: str, claim: Claim, values: dict[str, Any]) -> bool:
        with self.engine.begin() as conn:
            return self._settle_claim(conn, profile, claim, {**values, "updated_at": self.now()})

    def mark_written(
        self,
        profile: str,
        claim: Claim,
        document: str,
        erp_total: str,
        shop_total: str,
        fingerprint: str | None = None,
    ) -> bool:
        """The ERP document exists; the shop still has to be told. False if the claim was lost.

        ``fingerprint`` records what the order was (its lines, totals, addresses) so a later
        change in the shop can be named."""
        values = {
            "state": "written",
            "erp_document": document,
            "erp_total": erp_total,
            "shop_total": shop_total,
        }
        if fingerprint is not None:
            values["fingerprint"] = fingerprint
        return self._settle(profile, claim, values)

    def mark_written_many(self, profile: str, written: Sequence[WrittenMark]) -> set[str]:
        """``mark_written`` for several orders in one transaction; the shop order ids settled
        (an order whose claim was lost meanwhile is left as it is)."""
        settled: set[str] = set()
        if not written:
            return settled
        now = self.now()
        with self.engine.begin() as conn:
            for mark in written:
                values = {
                    "state": "written",
                    "erp_document": mark.document,
                    "erp_total": mark.erp_total,
                    "shop_total": mark.shop_total,
                    "updated_at": now,
                }
                if mark.fingerprint is not None:
                    values["fingerprint"] = mark.fingerprint
                if self._settle_claim(conn, profile, mark.claim, values):
                    settled.add(mark.claim.shop_order_id)
        return settled

    def imported_orders(self, profile: str) -> dict[str, LedgerRow]:
        """The orders imported for good (``done``), by shop order id."""
        query = select(ORDER_LEDGER).where(ORDER_LEDGER.c.profile == profile, ORDER_LEDGER.c.state == "done")
        with self.engine.connect() as conn:
            return {row["shop_order_id"]: _ledger_row(row) for row in conn.execute(query).mappings()}

    def mark_done(self, profile: str, claim: Claim, document: str | None = None) -> bool:
        values: dict[str, Any] = {
            "state": "done",
            "claim_token": None,
            "claim_expires_at": None,
            "error": None,
        }
        if document is not None:
            values["erp_document"] = document
        return self._settle(profile, claim, values)

    def mark_done_many(self, profile: str, done: Sequence[tuple[Claim, str]]) -> set[str]:
        """``mark_done`` for several orders (claim, document) in one transaction; the shop order
        ids settled (an order whose claim was lost meanwhile is left as it is)."""
        settled: set[str] = set()
        if not done:
            return settled
        now = self.now()
        with self.engine.begin() as conn:
            for claim, document in done:
                values = {
                    "updated_at": now,
                    "state": "done",
                    "claim_token": None,
                    "claim_expires_at": None,
                    "error": None,
                    "erp_document": document,
                }
                if self._settle_claim(conn, profile, claim, values):
                    settled.add(claim.shop_order_id)
        return settled

    @staticmethod
    def _settle_claim(conn: Connection, profile: str, claim: Claim, values: dict[str, Any]) -> bool:
        """Update the ledger row ``claim`` still holds with ``values``; whether it did.

        A Core statement on the ledger's table whose ``WHERE`` is bound parameters: built once
        per set of columns and compiled once (an ORM ``update`` costs about a millisecond a row
        in SQLAlchemy's own work)."""
        statement = _settle_statement(tuple(sorted(values)))
        params = {**values, "w_profile": profile, "w_order": claim.shop_order_id, "w_token": claim.token}
        return conn.execute(statement, params).rowcount == 1

    def mark_failed(self, profile: str, claim: Claim, error: str) -> bool:
        return self._settle(
            profile, claim, {"state": "failed", "claim_token": None, "claim_expires_at": None, "error": error}
        )

    def release(self, profile: str, claim: Claim) -> bool:
        """Give a claim back untouched (a retryable problem): the next run examines the order again."""
        with self.engine.begin() as conn:
            result = conn.execute(
                delete(ORDER_LEDGER).where(
                    ORDER_LEDGER.c.profile == profile,
                    ORDER_LEDGER.c.shop_order_id == claim.shop_order_id,
                    ORDER_LEDGER.c.claim_token == claim.token,
                    ORDER_LEDGER.c.erp_document.is_(None),
                )
            )
            if result.rowcount == 1:
                return True
        return self._settle(
            profile, claim, {"state": "written", "claim_token": None, "claim_expires_at": None}
        )

    def forget(self, profile: str, claim: Claim) -> bool:
        """Drop a claimed order from the ledger: nothing of it exists in the ERP and nothing is to be done."""
        with self.engine.begin() as conn:
            result = conn.execute(
                delete(ORDER_LEDGER).where(
                    ORDER_LEDGER.c.profile == profile,
                    ORDER_LEDGER.c.shop_order_id == claim.shop_order_id,
                    ORDER_LEDGER.c.claim_token == claim.token,
                )
            )
            return result.rowcount == 1

    def reset_orders(self, profile: str, shop_order_ids: Iterable[str] | None) -> int:
        """Forget orders (all when ``None``) so they can be imported again; return how many."""
        query = delete(ORDER_LEDGER).where(ORDER_LEDGER.c.profile == profile)
        with self.engine.begin() as conn:
            if shop_order_ids is None:
                return conn.execute(query).rowcount
            ids = list(shop_order_ids)
            return sum(
                conn.execute(query.where(ORDER_LEDGER.c.shop_order_id.in_(chunk))).rowcount
                for chunk in _chunks(ids)
            )

    # --- runs and journal ----------------------------------------------------------------
    def start_run(self, profile: str, job: str, *, dry_run: bool, started_at: datetime) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(
                insert(RUNS).values(
                    profile=profile,
                    job=job,
                    dry_run=dry_run,
                    status="running",
                    started_at=started_at,
                    created=0,
                    updated=0,
                    unchanged=0,
                    skipped=0,
                    failed=0,
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def add_lines(self, run_id: int, lines: Sequence[StoredLine]) -> None:
        if not lines:
            return
        with self.engine.begin() as conn:
            _many(
                conn,
                insert(JOURNAL_LINES),
                {"run_id": run_id},
                ("at", "level", "item", "message"),
                [(line.at, line.level, line.item, line.message) for line in lines],
            )

    def finish_run(self, run_id: int, status: str, counts: Mapping[str, int], finished_at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(RUNS)
                .where(RUNS.c.id == run_id)
                .values(status=status, finished_at=finished_at, **counts)
            )

    def runs(self, profile: str, limit: int = 20) -> list[RunRow]:
        query = select(RUNS).where(RUNS.c.profile == profile).order_by(RUNS.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [_run_row(r) for r in conn.execute(query).mappings()]

    def run(self, profile: str, run_id: int) -> RunRow | None:
        """One run of the profile (None when the id is another profile's or unknown)."""
        query = select(RUNS).where(RUNS.c.profile == profile, RUNS.c.id == run_id)
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return None if row is None else _run_row(row)

    def runs_since(self, profile: str, since: datetime) -> list[RunRow]:
        """Runs started at or after ``since``, oldest first (dry runs are never recorded)."""
        query = (
            select(RUNS)
            .where(RUNS.c.profile == profile, RUNS.c.started_at >= since)
            .order_by(RUNS.c.started_at, RUNS.c.id)
        )
        with self.engine.connect() as conn:
            return [_run_row(r) for r in conn.execute(query).mappings()]

    def last_done_order_at(self, profile: str) -> datetime | None:
        """When the ledger last recorded an order as imported (``done``)."""
        query = select(func.max(ORDER_LEDGER.c.updated_at)).where(
            ORDER_LEDGER.c.profile == profile, ORDER_LEDGER.c.state == "done"
        )
        with self.engine.connect() as conn:
            value = conn.execute(query).scalar_one_or_none()
        if isinstance(value, str):  # SQLite aggregates lose the column type
            value = datetime.fromisoformat(value)
        return None if value is None else value.replace(tzinfo=UTC) if value.tzinfo is None else value

    def journal(self, run_id: int) -> list[StoredLine]:
        query = select(JOURNAL_LINES).where(JOURNAL_LINES.c.run_id == run_id).order_by(JOURNAL_LINES.c.id)
        with self.engine.connect() as conn:
            return [
                StoredLine(r["at"], r["level"], r["item"], r["message"])
                for r in conn.execute(query).mappings()
            ]

    # --- incremental marks ---------------------------------------------------------------
    def job_mark(self, profile: str, job: str) -> datetime | None:
        query = select(JOB_MARKS.c.last_success_at).where(
            JOB_MARKS.c.profile == profile, JOB_MARKS.c.job == job
        )
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one_or_none()

    def set_job_mark(self, profile: str, job: str, when: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(JOB_MARKS).where(JOB_MARKS.c.profile == profile, JOB_MARKS.c.job == job))
            conn.execute(insert(JOB_MARKS).values(profile=profile, job=job, last_success_at=when))

    def window(self, profile: str, job: str, overlap: timedelta, *, full: bool = False) -> Window:
        """The job's incremental window from its stored cursor (``full``: from the beginning)."""
        return Window(None if full else self.job_mark(profile, job), overlap)

    def save_window(self, profile: str, job: str, window: Window) -> None:
        """Store where the job's next window starts (nothing when the window read nothing)."""
        cursor = window.next_cursor()
        if cursor is not None and cursor != window.cursor:
            self.set_job_mark(profile, job, cursor)
