"""The dashboard's defences over HTTP: login everywhere, CSRF on every form, cookies, headers,
secrets never rendered, every action journaled with its user."""

from __future__ import annotations

from pathlib import Path

from dashboard_harness import Dashboard, csrf_of
from starlette.routing import Route
from typer.testing import CliRunner

from comptoir.cli import app
from comptoir.profile.secrets import read_secrets_file
from comptoir.state import StateStore
from comptoir.web.app import routes

PARAMS = {"name": "demo", "job": "update_stock", "order": "1", "run": "1", "lang": "en"}


def paths(method: str) -> list[str]:
    found = []
    for route in routes():
        if isinstance(route, Route) and route.methods and method in route.methods:
            found.append(route.path.replace("{run:int}", "1").format(**PARAMS))
    return found


def test_every_page_needs_a_login_and_every_form_its_csrf_token(dashboard: Dashboard) -> None:
    anonymous = dashboard.client(logged_in=False)
    for path in paths("GET"):
        answer = anonymous.get(path)
        if path in ("/login", "/lang/en"):
            continue
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login"), path
    assert anonymous.get("/p/demo", headers={"HX-Request": "true"}).status_code == 401

    client = dashboard.client()
    posts = paths("POST")
    assert len(posts) >= 8
    for path in posts:
        assert client.post(path, data={}).status_code == 403, f"{path} accepted a form without its token"
        assert client.post(path, data={"csrf": "forged"}).status_code == 403, path
    assert anonymous.post("/p/demo/run/update_stock", data={}).status_code == 303, "and a login first"

    token = csrf_of(client.get("/p/demo").text)
    started = client.post("/p/demo/run/update_stock", data={"csrf": token, "dry_run": "1"})
    assert started.status_code == 303 and "/live/" in started.headers["location"]
    assert client.post("/p/demo/run/update_stock", headers={"X-CSRF-Token": token}).status_code == 303


def test_cookies_headers_and_secrets(dashboard: Dashboard) -> None:
    anonymous = dashboard.client(logged_in=False)
    login = anonymous.get("/login")
    cookie = anonymous.post(
        "/login", data={"user": "gerant", "password": "motdepasse-solide", "csrf": csrf_of(login.text)}
    ).headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    assert "default-src 'self'" in login.headers["content-security-policy"]
    assert login.headers["x-frame-options"] == "DENY"

    wrong = dashboard.client(logged_in=False)
    page = wrong.get("/login")
    refused = wrong.post("/login", data={"user": "gerant", "password": "nope", "csrf": csrf_of(page.text)})
    assert refused.status_code == 401 and "comptoir_session" not in refused.headers.get("set-cookie", "user")

    client = dashboard.client()
    secrets = read_secrets_file(dashboard.harness.workdir / "secrets.env")
    assert secrets, "the demo profile's shop keys live in its secrets file"
    pages = [client.get(path).text for path in paths("GET") if "{" not in path and "live" not in path]
    overview = client.get("/p/demo").text
    assert "env:COMPTOIR_DEMO_SHOP_KEY" in overview, "references are shown"
    for value in secrets.values():
        assert all(value not in html for html in [*pages, overview]), "a secret value was rendered"

    token = csrf_of(overview)
    assert client.post("/p/demo/orders/404/reset", data={"csrf": token}).status_code == 404
    assert client.post("/p/demo/run/update_prices", data={"csrf": token, "dry_run": "1"}).status_code == 303
    store = StateStore.open(dashboard.harness.profile.state_url())
    try:
        actions = [(e.user, e.action) for e in store.audit.entries("demo")]
    finally:
        store.close()
    assert actions == [("gerant", "dry run update_prices")], "every action with its user"


def test_serve_refuses_what_would_expose_the_dashboard(tmp_path: Path) -> None:
    runner = CliRunner()
    alone = runner.invoke(app, ["serve", "--profiles", str(tmp_path)])
    assert alone.exit_code == 2 and "No dashboard user yet: comptoir user add NAME" in alone.output
    added = runner.invoke(
        app, ["user", "add", "gerant", "--profiles", str(tmp_path), "--password-stdin"], input="court\n"
    )
    assert added.exit_code == 2 and "10 characters at least" in added.output
    added = runner.invoke(
        app,
        ["user", "add", "gerant", "--profiles", str(tmp_path), "--password-stdin"],
        input="assez-long-pour-passer\n",
    )
    assert added.exit_code == 0, added.output
    users = tmp_path / ".comptoir" / "users"
    assert users.stat().st_mode & 0o777 == 0o600 and "$argon2id$" in users.read_text(encoding="utf-8")
    assert "assez-long" not in users.read_text(encoding="utf-8")
    remote = runner.invoke(app, ["serve", "--profiles", str(tmp_path), "--host", "0.0.0.0"])
    assert remote.exit_code == 2 and "only over HTTPS" in " ".join(remote.output.split())
