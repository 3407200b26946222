"""Alerts after runs, mailed to a real SMTP server process: one mail per problem, never per run.

A catalog job with refused prices sends one digest, and nothing more while the same articles fail
the same way; the shop down sends one mail, and one when it answers again; a run stopped on a
setting sends one mail per error; a mail that cannot be sent never fails the run.
"""

from __future__ import annotations

from typing import Any

from job_harness import Harness
from test_price_check import NEGATIVE, NO_PRICE, set_price

from comptoir.jobs.runner import JobName, RunStatus


def alerts_table(server: Any) -> dict[str, Any]:
    return {
        "smtp": server.smtp_table(),
        "sender": "comptoir@boutique.example",
        "to": ["gerant@boutique.example"],
    }


def subjects(server: Any) -> list[str]:
    return [str(mail["Subject"]) for mail, _facts in server.mails()]


async def test_one_mail_per_problem(harness: Harness, start_smtp: Any) -> None:
    server = start_smtp("none")
    shop_table = dict(harness.write_profile().shop.model_dump(exclude_none=True, mode="json"))
    harness.write_profile(alerts=alerts_table(server))
    set_price(harness, NO_PRICE, None)
    set_price(harness, NEGATIVE, "-5")

    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.ITEMS_FAILED, lines
    [(digest, _)] = server.wait_for(1)
    assert digest["Subject"] == "[comptoir demo] Export des articles : 2 élément(s) en échec"
    body = digest.get_content()
    assert f"- Article {NO_PRICE} non envoyé : prix de vente vide (AR_PrixVen)" in body
    assert f"- Article {NEGATIVE} non envoyé : prix de vente négatif (AR_PrixVen = -5)" in body
    assert f"Journal : exécution n° {result.run_id} (comptoir runs --show {result.run_id})" in body

    again, _lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert again.status is RunStatus.ITEMS_FAILED
    assert len(server.wait_for(2, timeout=1)) == 1, "the same failures are not mailed again"

    harness.write_profile(alerts=alerts_table(server), shop=shop_table | {"url": "https://127.0.0.1:9"})
    down, _lines = await harness.run(JobName.UPDATE_STOCK)
    assert down.status is RunStatus.ABORTED and down.failure == "shop"
    assert down.error is not None and down.error.startswith(
        "boutique injoignable (adresse erronée ou rien n'écoute) : "
    ), "the side is named in the profile's language, then the adapter's words"
    still_down, _lines = await harness.run(JobName.UPDATE_STOCK)
    assert still_down.status is RunStatus.ABORTED
    harness.write_profile(alerts=alerts_table(server), shop=shop_table)
    back, _lines = await harness.run(JobName.UPDATE_STOCK)
    assert back.status is RunStatus.OK
    mails = server.wait_for(3)
    assert subjects(server)[1:] == [
        "[comptoir demo] la boutique est injoignable ou refuse la clé",
        "[comptoir demo] la boutique répond de nouveau",
    ]
    assert "127.0.0.1:9" in mails[1][0].get_content(), mails[1][0].get_content()

    harness.write_profile(alerts=alerts_table(server), orders={"shipping_article": ""})
    for _ in range(2):
        stopped, _lines = await harness.run(JobName.IMPORT_ORDERS)
        assert stopped.status is RunStatus.ABORTED and stopped.failure == "job"
    mails = server.wait_for(4)
    assert subjects(server)[3:] == ["[comptoir demo] Import des commandes : arrêt sur erreur"]
    assert "orders.shipping_article" in mails[3][0].get_content()


async def test_a_mail_that_cannot_be_sent_never_fails_the_run(harness: Harness, start_smtp: Any) -> None:
    server = start_smtp("none")
    harness.write_profile(language="en", alerts=alerts_table(server))
    server.process.terminate()
    server.process.wait()
    set_price(harness, NO_PRICE, None)
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.ITEMS_FAILED, "the run's own status, not the mail's"
    assert lines[-1].startswith(f"Alert not sent (127.0.0.1:{server.port}: cannot connect"), lines[-1]

    relaunched = start_smtp("none")
    harness.write_profile(language="en", alerts=alerts_table(relaunched))
    await harness.run(JobName.UPDATE_PRICES)
    [(mail, _)] = relaunched.wait_for(1)
    assert mail["Subject"] == "[comptoir demo] Update prices: 1 item(s) failed", "decided again, in English"
    assert f"Article {NO_PRICE} not sent: sale price empty (AR_PrixVen)" in mail.get_content()
