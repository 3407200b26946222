"""What the journal says, in French and in English.

Jobs speak through message keys; the journal renders them in the profile's language.
"""

from __future__ import annotations

from typing import Any, Literal

Language = Literal["fr", "en"]

MESSAGES: dict[str, dict[Language, str]] = {
    # job titles
    "job.export_products": {"fr": "Export des articles", "en": "Export products"},
    "job.update_prices": {"fr": "Mise à jour des prix", "en": "Update prices"},
    "job.update_stock": {"fr": "Mise à jour des stocks", "en": "Update stock"},
    "job.enable_products": {
        "fr": "Activation / désactivation des articles",
        "en": "Enable / disable products",
    },
    "job.export_customers": {"fr": "Export des clients", "en": "Export customers"},
    "job.import_orders": {"fr": "Import des commandes", "en": "Import orders"},
    "job.update_order_statuses": {
        "fr": "Mise à jour des statuts des commandes",
        "en": "Update order statuses",
    },
    "job.send_invoices": {"fr": "Envoi des factures", "en": "Send invoices"},
    "job.import_refunds": {"fr": "Import des remboursements", "en": "Import refunds"},
    "job.reset_orders": {"fr": "Réinitialisation des commandes", "en": "Reset orders"},
    # run frame
    "run.start": {"fr": "{title} : début", "en": "{title}: start"},
    "run.dry_run": {
        "fr": "Simulation : rien ne sera écrit (ni boutique, ni gestion commerciale)",
        "en": "Dry run: nothing will be written (neither shop nor ERP)",
    },
    "run.end": {
        "fr": "{title} : fin - {created} créé(s), {updated} mis à jour, {unchanged} inchangé(s), "
        "{skipped} ignoré(s), {failed} en échec ({seconds:.1f} s)",
        "en": "{title}: end - {created} created, {updated} updated, {unchanged} unchanged, "
        "{skipped} skipped, {failed} failed ({seconds:.1f} s)",
    },
    "run.held": {
        "fr": "{held} ignoré(s) car en cours dans une autre exécution : "
        "une prochaine exécution les reprendra",
        "en": "{held} skipped because another run holds them: a later run takes them up",
    },
    "run.busy": {
        "fr": "{title} : non lancé - une autre exécution est en cours ({holder}, depuis {since}, "
        "au plus tard jusqu'à {until}) ; la prochaine exécution prévue le fera",
        "en": "{title}: not started - another run is in progress ({holder}, since {since}, "
        "until {until} at the latest); the next scheduled run will do it",
    },
    "run.busy_gone": {
        "fr": "{title} : non lancé - une autre exécution venait de le prendre ; "
        "la prochaine exécution le fera",
        "en": "{title}: not started - another run had just taken it; the next run will do it",
    },
    "run.lock_lost": {
        "fr": "{title} : l'exécution a duré au-delà de son verrou, qu'une autre exécution a repris ; "
        "vérifiez les durées et la charge de la machine",
        "en": "{title}: the run outlasted its lock, which another run took over; "
        "check run durations and the machine's load",
    },
    "run.error": {"fr": "{title} : arrêt sur erreur - {error}", "en": "{title}: stopped on error - {error}"},
    "run.attached_lost": {
        "fr": "comptoir : l'exécution (processus {pid}) s'est arrêtée sans donner son code de sortie",
        "en": "comptoir: the run (process {pid}) ended without giving its exit code",
    },
    "run.items_in_log": {
        "fr": "Plus de {few} éléments : une ligne par élément dans {log} (--verbose les montre ici aussi)",
        "en": "More than {few} items: one line per item in {log} (--verbose shows them here too)",
    },
    # outcomes of one item
    "outcome.created": {"fr": "créé", "en": "created"},
    "outcome.updated": {"fr": "mis à jour", "en": "updated"},
    "outcome.unchanged": {"fr": "inchangé", "en": "unchanged"},
    "outcome.skipped": {"fr": "ignoré", "en": "skipped"},
    "outcome.failed": {"fr": "en échec", "en": "failed"},
    "outcome.would_create": {"fr": "serait créé", "en": "would be created"},
    "outcome.would_update": {"fr": "serait mis à jour", "en": "would be updated"},
    # reading
    "read.articles": {
        "fr": "{count} article(s) lus dans la gestion commerciale, {selected} à synchroniser",
        "en": "{count} article(s) read from the ERP, {selected} to synchronise",
    },
    "read.customers": {
        "fr": "{count} client(s) lus dans la gestion commerciale, {selected} à synchroniser",
        "en": "{count} customer(s) read from the ERP, {selected} to synchronise",
    },
    "read.orders": {
        "fr": "{count} commande(s) trouvée(s) dans la boutique (statuts : {statuses})",
        "en": "{count} order(s) found in the shop (statuses: {statuses})",
    },
    "enable.read": {
        "fr": "{count} article(s) lus dans la gestion commerciale, {active} actif(s) sur le web",
        "en": "{count} article(s) read from the ERP, {active} active on the web",
    },
    "incremental.read": {
        "fr": "lecture incrémentale : {count} article(s) modifié(s) depuis {since} (heure de la gestion "
        "commerciale, chevauchement compris)",
        "en": "incremental read: {count} article(s) modified since {since} (ERP clock, overlap included)",
    },
    "incremental.read_stock": {
        "fr": "lecture incrémentale du stock : {count} article(s) dont le stock ou la fiche a changé "
        "depuis {since} (heure de la gestion commerciale, chevauchement compris)",
        "en": "incremental stock read: {count} article(s) whose stock or record changed since {since} "
        "(ERP clock, overlap included)",
    },
    "filter.skipped": {"fr": "{count} ignoré(s) : {reason}", "en": "{count} skipped: {reason}"},
    "reason.dormant": {"fr": "en sommeil", "en": "dormant"},
    "reason.unpublished": {"fr": "non publié sur le web", "en": "not published on the web"},
    "reason.family_unpublished": {
        "fr": "famille non publiée sur le web",
        "en": "family not published on the web",
    },
    "reason.no_email": {"fr": "sans e-mail valide", "en": "without a valid e-mail"},
    "unchanged.summary": {
        "fr": "{count} inchangé(s) depuis le dernier envoi",
        "en": "{count} unchanged since last sent",
    },
    # categories
    "categories.plan": {
        "fr": "Catégories : {bound} déjà liées, {adopted} retrouvées par nom, {create} à créer",
        "en": "Categories: {bound} already bound, {adopted} found by name, {create} to create",
    },
    "category.failed": {
        "fr": "Catégorie {key} : non créée - {error}",
        "en": "Category {key}: not created - {error}",
    },
    "category.missing": {
        "fr": "{count} article(s) sans catégorie dans la boutique : {sample}",
        "en": "{count} article(s) without a shop category: {sample}",
    },
    # images and documents
    "media.images": {"fr": "images", "en": "images"},
    "media.documents": {"fr": "documents", "en": "documents"},
    "media.features": {"fr": "caractéristiques", "en": "features"},
    "media.would": {"fr": " (simulation)", "en": " (dry run)"},
    "media.unsupported": {
        "fr": "{kind} non envoyé(e)s : la boutique ne sait pas les recevoir",
        "en": "{kind} not sent: the shop cannot hold them",
    },
    "media.summary": {
        "fr": "{kind} de {products} produit(s) : {uploaded} envoyé(s), {deleted} supprimé(s){would}",
        "en": "{kind} of {products} product(s): {uploaded} uploaded, {deleted} deleted{would}",
    },
    # variations from ranges and packaging units
    "packaging.attribute": {"fr": "Conditionnement", "en": "Packaging"},
    "range.no_reference": {
        "fr": "la gamme {cell} n'a pas de référence propre : elle ne peut pas être vendue en ligne",
        "en": "range cell {cell} has no reference of its own: it cannot be sold online",
    },
    "packaging.no_reference": {
        "fr": "le conditionnement {unit} n'a pas de référence propre ou de quantité",
        "en": "packaging unit {unit} has no reference of its own or no quantity",
    },
    "variation.refused": {
        "fr": "Article {reference} : {problem}",
        "en": "Article {reference}: {problem}",
    },
    "variation.summary": {
        "fr": "{products} article(s) vendus en {variations} déclinaison(s) (gammes, conditionnements)",
        "en": "{products} article(s) sold as {variations} variation(s) (ranges, packaging units)",
    },
    # bundles
    "bundle.kind": {"fr": "lots (nomenclatures)", "en": "bundles (bills of materials)"},
    "bundle.waiting": {
        "fr": "lot en attente : composant(s) absent(s) de la boutique : {missing}",
        "en": "bundle waiting: component(s) not in the shop: {missing}",
    },
    # variations by grouping
    "group.summary": {
        "fr": "{groups} produit(s) à déclinaisons regroupant {variations} article(s)",
        "en": "{groups} variable product(s) grouping {variations} article(s)",
    },
    "group.refused": {
        "fr": "Regroupement {master} refusé : {problem}",
        "en": "Group {master} refused: {problem}",
    },
    # prices that make no sense
    "price.refused": {
        "fr": "Article {reference} non envoyé : {reason}",
        "en": "Article {reference} not sent: {reason}",
    },
    "price.missing": {"fr": "prix de vente vide ({field})", "en": "sale price empty ({field})"},
    "price.negative": {
        "fr": "prix de vente négatif ({field} = {price})",
        "en": "negative sale price ({field} = {price})",
    },
    "price.zero": {
        "fr": "prix de vente nul ({field} = 0) ; "
        "prices.allow_free_articles = true pour vendre des articles gratuits",
        "en": "zero sale price ({field} = 0); prices.allow_free_articles = true to sell free articles",
    },
    "price.rounds_to_zero": {
        "fr": "prix de vente {price} ({field}) arrondi à 0 avec {decimals} décimale(s)",
        "en": "sale price {price} ({field}) rounds to 0 at {decimals} decimal(s)",
    },
    # items
    # B2B: per-warehouse stock, home warehouses, specific prices
    "stock.per_warehouse_unsupported": {
        "fr": "La boutique ({platform}) ne sait pas garder le stock par dépôt : seule la quantité "
        "totale est envoyée (stock.per_warehouse)",
        "en": "The shop ({platform}) cannot hold stock per warehouse: only the total quantity is sent "
        "(stock.per_warehouse)",
    },
    "home.unknown_rule": {
        "fr": "Dépôt de rattachement : la règle du profil nomme un dépôt inconnu de la gestion "
        "commerciale ({names})",
        "en": "Home warehouse: the profile's rule names a warehouse the ERP does not have ({names})",
    },
    "home.unknown": {
        "fr": "{count} client(s) rattaché(s) à un dépôt inconnu de la gestion commerciale, envoyé(s) "
        "sans dépôt de rattachement : {sample}",
        "en": "{count} customer(s) homed to a warehouse the ERP does not have, sent without a home "
        "warehouse: {sample}",
    },
    "specific.unsupported": {
        "fr": "La boutique ({platform}) ne sait pas garder de prix par groupe ni par client : seuls "
        "les prix de base sont envoyés (prices.specific_prices)",
        "en": "The shop ({platform}) cannot hold group or customer prices: only base prices are sent "
        "(prices.specific_prices)",
    },
    "specific.read": {
        "fr": "Prix spécifiques : {rules} condition(s) de prix lue(s), {groups} groupe(s), "
        "{customers} client(s) dans la boutique, {articles} article(s) dans la boutique",
        "en": "Specific prices: {rules} price condition(s) read, {groups} group(s), "
        "{customers} customer(s) in the shop, {articles} article(s) in the shop",
    },
    "specific.plan": {
        "fr": "Prix spécifiques : {group_rows} prix de groupe, {customer_rows} prix client pour "
        "{customers} client(s) dont le prix diffère de leur groupe ; une matrice clients × articles "
        "en compterait {matrix}",
        "en": "Specific prices: {group_rows} group price(s), {customer_rows} customer price(s) for "
        "{customers} customer(s) whose price differs from their group's; a customers × articles "
        "matrix would hold {matrix}",
    },
    "specific.customers_missing": {
        "fr": "{count} client(s) absent(s) de la boutique : leurs prix attendront l'export des "
        "clients ({sample})",
        "en": "{count} customer(s) missing from the shop: their prices wait for export customers ({sample})",
    },
    "specific.group": {"fr": "groupe {name}", "en": "group {name}"},
    "specific.customer": {"fr": "client {code}", "en": "customer {code}"},
    "specific.summary": {
        "fr": "Prix spécifiques du {target} : {set} fixé(s), {removed} retiré(s)",
        "en": "Specific prices of {target}: {set} set, {removed} removed",
    },
    "specific.summary_would": {
        "fr": "Prix spécifiques du {target} : {set} seraient fixé(s), {removed} seraient retiré(s)",
        "en": "Specific prices of {target}: {set} would be set, {removed} would be removed",
    },
    "specific.failed": {
        "fr": "Prix spécifiques du {target} : {count} en échec - {error} ({sample})",
        "en": "Specific prices of {target}: {count} failed - {error} ({sample})",
    },
    "specific.remove_failed": {
        "fr": "{count} prix spécifique(s) non retiré(s) - {error} ({sample})",
        "en": "{count} specific price(s) not removed - {error} ({sample})",
    },
    "item.line": {"fr": "[{i}/{n}] {key} : {outcome}{detail}", "en": "[{i}/{n}] {key}: {outcome}{detail}"},
    "item.not_in_shop": {
        "fr": "{count} référence(s) absente(s) de la boutique (exportez d'abord les articles) : {sample}",
        "en": "{count} reference(s) not in the shop (export products first): {sample}",
    },
    "item.gone": {
        "fr": "{count} objet(s) lié(s) absent(s) de la boutique (supprimés ou à la corbeille) : "
        "liens retirés, recherchés par référence ou recréés : {sample}",
        "en": "{count} bound object(s) no longer in the shop (deleted or in the trash): "
        "bindings dropped, looked up by reference or created again: {sample}",
    },
    "item.gone_detail": {
        "fr": "n'existe plus dans la boutique (exportez les articles pour le recréer)",
        "en": "no longer in the shop (export products to create it again)",
    },
    "item.gone_created": {
        "fr": "recréé (id {id}) : l'objet lié n'existait plus dans la boutique",
        "en": "created again (id {id}): the bound object was no longer in the shop",
    },
    "item.gone_adopted": {
        "fr": "retrouvé par référence (id {id}) : l'objet lié n'existait plus dans la boutique",
        "en": "found by reference (id {id}): the bound object was no longer in the shop",
    },
    "item.email_taken": {
        "fr": "e-mail {email} déjà utilisé par le client {other}",
        "en": "e-mail {email} already used by customer {other}",
    },
    # orders
    "orders.required": {
        "fr": "Réglages obligatoires manquants pour importer des commandes : {fields}",
        "en": "Required settings missing to import orders: {fields}",
    },
    "order.already_transferred": {
        "fr": "déjà marquée transférée dans la boutique",
        "en": "already marked transferred in the shop",
    },
    "order.done": {"fr": "déjà importée (pièce {document})", "en": "already imported (document {document})"},
    "order.failed_before": {
        "fr": "en échec lors d'un import précédent : {error} (relancez avec --retry-failed)",
        "en": "failed in an earlier run: {error} (run again with --retry-failed)",
    },
    "order.claimed": {
        "fr": "en cours d'import par une autre exécution (jusqu'à {until} au plus tard)",
        "en": "being imported by another run (until {until} at the latest)",
    },
    "order.claim_lost": {
        "fr": "pièce {document} créée, mais une autre exécution a repris la commande ; elle la terminera",
        "en": "document {document} created, but another run took the order over; it will finish it",
    },
    "order.not_selected": {
        "fr": "n'est plus dans un statut importé ({status}) et n'est pas dans la gestion commerciale : "
        "retirée du registre",
        "en": "no longer in an imported status ({status}) and not in the ERP: removed from the ledger",
    },
    "order.gone": {
        "fr": "n'existe plus dans la boutique et n'est pas dans la gestion commerciale : retirée du registre",
        "en": "no longer exists in the shop and is not in the ERP: removed from the ledger",
    },
    "order.gone_written": {
        "fr": "n'existe plus dans la boutique, mais la pièce {document} est dans la gestion commerciale : "
        "à vérifier",
        "en": "no longer exists in the shop, but document {document} is in the ERP: to be checked",
    },
    "read.orders_left": {
        "fr": "{count} commande(s) laissée(s) inachevée(s) par une exécution précédente, relue(s) par leur "
        "numéro",
        "en": "{count} order(s) left unfinished by an earlier run, read again by id",
    },
    "order.created": {
        "fr": "pièce {document} ({type}) pour le client {customer}, total TTC {total}",
        "en": "document {document} ({type}) for customer {customer}, total incl. tax {total}",
    },
    "order.found_in_erp": {
        "fr": "pièce {document} déjà présente dans la gestion commerciale",
        "en": "document {document} already in the ERP",
    },
    "order.plan": {
        "fr": "{type} pour le client {customer}, {lines} ligne(s), total TTC {total}",
        "en": "{type} for customer {customer}, {lines} line(s), total incl. tax {total}",
    },
    "order.customer_created": {
        "fr": "client {customer} créé dans la gestion commerciale",
        "en": "customer {customer} created in the ERP",
    },
    "order.total_difference": {
        "fr": "écart de total : gestion commerciale {erp} ≠ boutique {shop} ({cause})",
        "en": "total difference: ERP {erp} ≠ shop {shop} ({cause})",
    },
    "order.rounding_adjusted": {
        "fr": "arrondi de la boutique reporté (total {before} → {after}) : {changes}",
        "en": "shop rounding carried (total {before} → {after}): {changes}",
    },
    "rounding.tax_inclusive": {
        "fr": "lignes en TTC aux montants de la boutique",
        "en": "tax-inclusive lines at the shop's amounts",
    },
    "rounding.code": {
        "fr": "{code} HT {net_before} → {net_after}, taxe {tax_before} → {tax_after}",
        "en": "{code} net {net_before} → {net_after}, tax {tax_before} → {tax_after}",
    },
    "rounding.line_amount": {
        "fr": "{amount} sur le montant de la ligne {line} ({reference})",
        "en": "{amount} on the amount of line {line} ({reference})",
    },
    "rounding.rounding_line": {
        "fr": "ligne d'arrondi {reference} de {amount}",
        "en": "rounding line {reference} of {amount}",
    },
    "rounding.payment_difference": {
        "fr": "écart de règlement {reference} de {amount}",
        "en": "payment difference {reference} of {amount}",
    },
    "order.payment_failed": {
        "fr": "pièce {document} créée, règlement non enregistré ({error}) ; "
        "nouvel essai à la prochaine exécution",
        "en": "document {document} created, payment not recorded ({error}); the next run tries again",
    },
    "order.mark_failed": {
        "fr": "Commande {order} : pièce {document} créée mais la boutique n'a pas pu être marquée ({error}); "
        "elle le sera à la prochaine exécution",
        "en": "Order {order}: document {document} created but the shop could not be marked ({error}); "
        "the next run will do it",
    },
    # after the import: statuses, invoices, refunds
    "doctype.quote": {"fr": "devis", "en": "quote"},
    "doctype.order": {"fr": "bon de commande", "en": "order"},
    "doctype.delivery_preparation": {"fr": "préparation de livraison", "en": "delivery preparation"},
    "doctype.delivery_note": {"fr": "bon de livraison", "en": "delivery note"},
    "doctype.invoice": {"fr": "facture", "en": "invoice"},
    "doctype.posted_invoice": {"fr": "facture comptabilisée", "en": "posted invoice"},
    "doctype.return": {"fr": "bon de retour", "en": "return"},
    "doctype.credit_note": {"fr": "facture d'avoir", "en": "credit note"},
    "platform.cannot": {
        "fr": "{title} : la plateforme {platform} ne le permet pas ({capability}) ; voir sa documentation",
        "en": "{title}: the {platform} platform cannot do it ({capability}); see its documentation",
    },
    "status.read": {
        "fr": "{orders} commande(s) importée(s), {moved} pièce(s) ayant avancé depuis la dernière exécution",
        "en": "{orders} imported order(s), {moved} document(s) moved since the last run",
    },
    "status.update": {
        "fr": "pièce {document} ({type}) : statut {status}",
        "en": "document {document} ({type}): status {status}",
    },
    "status.note_only": {
        "fr": "pièce {document} ({type}) : note seulement (type non mappé dans statuses.map)",
        "en": "document {document} ({type}): note only (type not mapped in statuses.map)",
    },
    "status.held": {
        "fr": "mise à jour en cours dans une autre exécution",
        "en": "update in progress in another run",
    },
    "order.changed": {
        "fr": "modifiée dans la boutique après son import (pièce {document}) : {changes}",
        "en": "modified in the shop after its import (document {document}): {changes}",
    },
    "change.total": {"fr": "total {before} → {after}", "en": "total {before} → {after}"},
    "change.lines": {"fr": "lignes {changes}", "en": "lines {changes}"},
    "change.billing": {"fr": "adresse de facturation", "en": "billing address"},
    "change.shipping": {"fr": "adresse de livraison", "en": "shipping address"},
    "invoice.read": {
        "fr": "{documents} pièce(s) émise(s) pour les commandes importées, {todo} à envoyer",
        "en": "{documents} issued document(s) for the imported orders, {todo} to send",
    },
    "invoice.sent": {
        "fr": "{file} joint à la commande #{order} (total TTC {total})",
        "en": "{file} attached to order #{order} (total incl. tax {total})",
    },
    "invoice.held": {
        "fr": "envoi en cours dans une autre exécution",
        "en": "being sent by another run",
    },
    "refund.read": {
        "fr": "{count} remboursement(s) lu(s) dans la boutique",
        "en": "{count} refund(s) read from the shop",
    },
    "refund.created": {
        "fr": "{type} {document} sur {origin} pour le client {customer}, total TTC {total}",
        "en": "{type} {document} on {origin} for customer {customer}, total incl. tax {total}",
    },
    "refund.found_in_erp": {
        "fr": "pièce {document} déjà présente dans la gestion commerciale",
        "en": "document {document} already in the ERP",
    },
    "refund.plan": {
        "fr": "{type} sur {origin} pour le client {customer}, {lines} ligne(s), total TTC {total}",
        "en": "{type} on {origin} for customer {customer}, {lines} line(s), total incl. tax {total}",
    },
    "refund.order_not_imported": {
        "fr": "la commande #{order} n'a pas été importée : rien à créditer",
        "en": "order #{order} was not imported: nothing to credit",
    },
    "refund.order_pending": {
        "fr": "la commande #{order} n'est pas encore importée ; le remboursement attend",
        "en": "order #{order} is not imported yet; the refund waits",
    },
    "refund.done": {"fr": "déjà importé (pièce {document})", "en": "already imported (document {document})"},
    "refund.held": {
        "fr": "import en cours dans une autre exécution",
        "en": "being imported by another run",
    },
    "group.tomorrow": {
        "fr": "regroupée avec les commandes du {day} : importée une fois la journée finie",
        "en": "grouped with the orders of {day}: imported once the day is over",
    },
    "group.held": {
        "fr": "le regroupement {key} est en cours dans une autre exécution",
        "en": "group {key} is being written by another run",
    },
    "group.member": {
        "fr": "dans la pièce {document} du regroupement {key}",
        "en": "in document {document} of group {key}",
    },
    "group.plan": {
        "fr": "regroupement {key} ({count} commande(s) du {day}), total TTC {total}",
        "en": "group {key} ({count} order(s) of {day}), total incl. tax {total}",
    },
    "group.created": {
        "fr": "pièce {document} du regroupement {key} ({count} commande(s) du {day}), total TTC {total}",
        "en": "document {document} of group {key} ({count} order(s) of {day}), total incl. tax {total}",
    },
    "orders.reset": {
        "fr": "{count} commande(s) retirée(s) du registre : {orders}",
        "en": "{count} order(s) removed from the ledger: {orders}",
    },
    "orders.from_file": {
        "fr": "{count} commande(s) lue(s) du fichier {file} (boutique non contactée)",
        "en": "{count} order(s) read from file {file} (shop not contacted)",
    },
    # e-mail alerts (subjects start with the profile's name)
    "mail.subject": {"fr": "[comptoir {profile}] {text}", "en": "[comptoir {profile}] {text}"},
    "mail.run_failed": {"fr": "{title} : arrêt sur erreur", "en": "{title}: stopped on error"},
    "mail.run_failed.body": {
        "fr": "{title} s'est arrêté sur une erreur ({at}) :\n\n    {error}\n\n"
        "Un seul message est envoyé tant que la même erreur se répète.\n"
        "Journal : exécution n° {run} (comptoir runs --show {run})",
        "en": "{title} stopped on an error ({at}):\n\n    {error}\n\n"
        "One message is sent while the same error repeats.\n"
        "Journal: run {run} (comptoir runs --show {run})",
    },
    "mail.connection.shop": {
        "fr": "la boutique est injoignable ou refuse la clé",
        "en": "the shop is unreachable or refuses the key",
    },
    "mail.connection.erp": {
        "fr": "la gestion commerciale est injoignable ou en erreur",
        "en": "the ERP is unreachable or failing",
    },
    "mail.connection.body": {
        "fr": "{title} ({at}) : {what} ({where}).\n\n    {error}\n\n"
        "Les exécutions suivantes réessaient ; un message suivra quand tout refonctionnera.",
        "en": "{title} ({at}): {what} ({where}).\n\n    {error}\n\n"
        "The next runs try again; a message follows when it works again.",
    },
    "mail.back.shop": {"fr": "la boutique répond de nouveau", "en": "the shop answers again"},
    "mail.back.erp": {"fr": "la gestion commerciale répond de nouveau", "en": "the ERP answers again"},
    "mail.back.body": {
        "fr": "{title} ({at}) s'est connecté sans erreur : {what}.",
        "en": "{title} ({at}) connected without error: {what}.",
    },
    "mail.items": {"fr": "{title} : {count} élément(s) en échec", "en": "{title}: {count} item(s) failed"},
    "mail.items.body": {
        "fr": "{title} ({at}) : {count} élément(s) en échec, nouveaux depuis le dernier message :\n\n"
        "{items}\n\n{summary}\nJournal : exécution n° {run} (comptoir runs --show {run})",
        "en": "{title} ({at}): {count} item(s) failed, new since the last message:\n\n{items}\n\n"
        "{summary}\nJournal: run {run} (comptoir runs --show {run})",
    },
    "mail.heartbeat": {
        "fr": "aucune commande importée depuis {hours} h d'ouverture",
        "en": "no order imported for {hours} opening hours",
    },
    "mail.heartbeat.body": {
        "fr": "Aucune commande n'a été importée depuis le {last}, soit {hours} heure(s) d'ouverture.\n"
        "Vérifiez la boutique (commandes, paiements, statuts importés : {statuses}) et que l'import des "
        "commandes tourne (comptoir schedule, comptoir runs).",
        "en": "No order was imported since {last}, that is {hours} opening hour(s).\n"
        "Check the shop (orders, payments, imported statuses: {statuses}) and that import orders runs "
        "(comptoir schedule, comptoir runs).",
    },
    "mail.daily": {"fr": "résumé du {date}", "en": "summary of {date}"},
    "mail.daily.body": {
        "fr": "Exécutions des dernières 24 heures :\n\n{jobs}\n\n{orders}",
        "en": "Runs of the last 24 hours:\n\n{jobs}\n\n{orders}",
    },
    "mail.daily.job": {
        "fr": "- {title} : {runs} exécution(s), {failed_runs} arrêtée(s) sur erreur ; {created} créé(s), "
        "{updated} mis à jour, {failed} en échec",
        "en": "- {title}: {runs} run(s), {failed_runs} stopped on error; {created} created, "
        "{updated} updated, {failed} failed",
    },
    "mail.daily.none": {"fr": "Aucune exécution.", "en": "No run."},
    "mail.daily.orders": {
        "fr": "Commandes : {done} importée(s) au total, {failed} en échec dans le registre.",
        "en": "Orders: {done} imported in all, {failed} failed in the ledger.",
    },
    "mail.test": {"fr": "e-mail de test", "en": "test e-mail"},
    "mail.test.body": {
        "fr": "Les alertes du profil {profile} arrivent bien à : {to}.",
        "en": "The alerts of profile {profile} reach: {to}.",
    },
    # why an order cannot become a document (the ERP side is the profile's mapping)
    "where.line": {"fr": "ligne {number} ({reference})", "en": "line {number} ({reference})"},
    "where.shipping": {"fr": "port {label}", "en": "shipping {label}"},
    "where.fee": {"fr": "frais {name}", "en": "fee {name}"},
    "where.discount": {"fr": "remise", "en": "discount"},
    "reject.account_length": {
        "fr": "client {customer} : n'entre pas dans customers.account_length={length} "
        "avec le préfixe {prefix!r}",
        "en": "customer_id {customer}: does not fit customers.account_length={length} with prefix {prefix!r}",
    },
    "reject.no_tax": {"fr": "sans taxe", "en": "no tax"},
    "reject.tax_unmapped": {
        "fr": "{where} : taux de taxe {rate} sans code de taxe dans la gestion commerciale "
        "(orders.tax_codes)",
        "en": "{where}: tax rate {rate} is not mapped to an ERP tax code (orders.tax_codes)",
    },
    "reject.no_discount_article": {
        "fr": "remise : pas d'article de remise pour le code de taxe {code} (orders.discount_articles)",
        "en": "discount: no discount article for tax code {code} (orders.discount_articles)",
    },
    "reject.quantity": {
        "fr": "{where} : quantité {quantity} non positive",
        "en": "{where}: quantity {quantity} is not positive",
    },
    "reject.unknown_reference": {
        "fr": "{where} : référence {reference!r} inconnue dans la gestion commerciale",
        "en": "{where}: reference {reference!r} unknown in the ERP",
    },
    "reject.miscellaneous_missing": {
        "fr": "{where} : article divers {article!r} introuvable",
        "en": "{where}: miscellaneous article {article!r} not found",
    },
    # why totals differ (reconciliation to the cent)
    "cause.tax_rounding": {
        "fr": "arrondi de la TVA : la boutique arrondit par ligne, la gestion commerciale par code de taxe "
        "(orders.rounding)",
        "en": "tax rounding: the shop rounds tax per line, the ERP per tax code (orders.rounding)",
    },
    "cause.rounding_not_carried": {
        "fr": "arrondi non reporté : gestion commerciale {erp} contre boutique {shop}",
        "en": "rounding not carried: ERP {erp} vs shop {shop}",
    },
    "cause.lines_do_not_add_up": {
        "fr": "les lignes de la commande ne font pas son total : HT {net} + TVA {tax} ≠ {total} "
        "(une ligne manquante ou à un autre prix)",
        "en": "the order's lines do not add up to its total: net {net} + tax {tax} ≠ {total} "
        "(a line missing or priced differently)",
    },
    "cause.tax_amounts": {
        "fr": "montants de TVA différents : {where} porte {tax} de TVA sur {net}, pas {rate} % "
        "(le taux de la gestion commerciale pour {code} ; orders.tax_codes)",
        "en": "tax amounts differ: {where} carries {tax} of tax on {net}, not {rate} % "
        "(the ERP's rate for {code}; orders.tax_codes)",
    },
    "cause.no_code": {"fr": "aucun code", "en": "no code"},
    "cause.net_amounts": {
        "fr": "montants HT différents : gestion commerciale {erp} contre boutique {shop} "
        "(une ligne manquante ou à un autre prix)",
        "en": "net amounts differ: ERP {erp} vs shop {shop} (a line missing or priced differently)",
    },
    "cause.beyond_rounding": {
        "fr": "totaux différents au-delà de l'arrondi : gestion commerciale {erp} contre boutique {shop} "
        "(plus d'un demi-centime par ligne et par code de taxe)",
        "en": "totals differ beyond rounding: ERP {erp} vs shop {shop} "
        "(more than half a cent per line and per tax code)",
    },
    "cause.rounding_left": {
        "fr": "arrondi de {amount} restant qu'aucun montant de ligne ne peut porter",
        "en": "rounding of {amount} left that no line amount can carry",
    },
    "cause.rounding_line_rate": {
        "fr": "ligne d'arrondi : le code de taxe {code} est à {rate} dans la gestion commerciale, pas 0 %",
        "en": "rounding line: tax code {code} is {rate} in the ERP, not 0 %",
    },
    "cause.rounding_line_setup": {
        "fr": 'ligne d\'arrondi : orders.rounding_article et orders.tax_codes["0"] sont requis',
        "en": 'rounding line: orders.rounding_article and orders.tax_codes["0"] are required',
    },
    "cause.unknown": {"fr": "inconnu", "en": "unknown"},
    # why a group of articles cannot become one variable product
    "group.no_attributes": {
        "fr": "aucun couple nom/valeur d'attribut dans les champs d'attributs",
        "en": "no attribute name/value found in the attribute fields",
    },
    "group.attributes_missing": {
        "fr": "{references} : tous les attributs du groupe ({names}) ne sont pas renseignés",
        "en": "{references}: not every attribute of the group ({names}) is set",
    },
    "group.same_combination": {
        "fr": "{first} et {second} ont la même combinaison",
        "en": "{first} and {second} have the same combination",
    },
    "group.incomplete": {
        "fr": "combinaisons incomplètes, il manque : {missing}",
        "en": "incomplete combinations, missing: {missing}",
    },
    # a side that cannot be used (the adapter's own words follow)
    "shop.error.unreachable": {
        "fr": "boutique injoignable (adresse erronée ou rien n'écoute)",
        "en": "shop unreachable (wrong URL, or nothing listening)",
    },
    "shop.error.tls": {
        "fr": "erreur TLS (certificat non reconnu)",
        "en": "TLS error (certificate not trusted)",
    },
    "shop.error.timeout": {
        "fr": "la boutique ne répond pas à temps",
        "en": "the shop does not answer in time",
    },
    "shop.error.auth": {"fr": "clé d'API refusée", "en": "API key refused"},
    "shop.error.read_only": {"fr": "clé d'API en lecture seule", "en": "read-only API key"},
    "shop.error.permission": {
        "fr": "ressource ou méthode non autorisée pour la clé d'API",
        "en": "resource or method not allowed for the API key",
    },
    "shop.error.disabled": {"fr": "l'API de la boutique est désactivée", "en": "the shop's API is disabled"},
    "shop.error.not_found": {"fr": "pas d'API de boutique à cette adresse", "en": "no shop API at that URL"},
    "shop.error.http": {"fr": "réponse inattendue de la boutique", "en": "unexpected answer from the shop"},
    "shop.error": {"fr": "{label} : {detail}", "en": "{label}: {detail}"},
    "erp.error": {"fr": "gestion commerciale : {detail}", "en": "ERP: {detail}"},
    "order.no_answer": {"fr": "pas de réponse de la boutique", "en": "no answer from the shop"},
    "shop.test_passed": {
        "fr": "Test de la boutique réussi : {description}",
        "en": "Shop test passed: {description}",
    },
    "shop.test_failed": {"fr": "Test de la boutique en échec : {why}", "en": "Shop test failed: {why}"},
    "mail.test_sent": {"fr": "E-mail de test envoyé à {to}", "en": "Test e-mail sent to {to}"},
    "mail.test_failed": {
        "fr": "E-mail de test non envoyé ({code}) : {error}",
        "en": "Test e-mail not sent ({code}): {error}",
    },
    "secret.missing": {
        "fr": "{field} : la variable d'environnement {name} n'est pas définie",
        "en": "{field}: the environment variable {name} is not set",
    },
    "mail.not_sent": {
        "fr": "Alerte non envoyée ({error})",
        "en": "Alert not sent ({error})",
    },
    # connection test of the ERP (comptoir erp test)
    "erp_test.passed": {
        "fr": "Test de la gestion commerciale réussi : {description}",
        "en": "ERP test passed: {description}",
    },
    "erp_test.note": {"fr": "  - {note}", "en": "  - {note}"},
    "erp_test.failed": {
        "fr": "Test de la gestion commerciale en échec : {label} : {error}",
        "en": "ERP test failed: {label}: {error}",
    },
    "erp_test.driver_missing": {"fr": "pilote de base de données absent", "en": "database driver missing"},
    "erp_test.unreachable": {
        "fr": "serveur injoignable (adresse ou port faux, ou rien n'écoute)",
        "en": "server unreachable (wrong address or port, or nothing listening)",
    },
    "erp_test.login_refused": {
        "fr": "connexion refusée (identifiant ou mot de passe)",
        "en": "login refused",
    },
    "erp_test.database_missing": {"fr": "base de données introuvable", "en": "database missing"},
    "erp_test.not_erp": {
        "fr": "ce n'est pas une base de la gestion commerciale attendue",
        "en": "not a database of the expected ERP",
    },
    "erp_test.read_only": {"fr": "identifiant en lecture seule", "en": "read-only login"},
    "erp_test.error": {"fr": "erreur inattendue de la base", "en": "unexpected database error"},
}


def render(message: str, language: Language, /, **values: Any) -> str:
    """The message keyed ``message`` in ``language`` with ``values`` filled in (a value that is
    itself a ``Text`` is rendered in ``language`` too)."""
    template = MESSAGES[message][language]
    return template.format(
        **{k: v.in_language(language) if isinstance(v, Text) else v for k, v in values.items()}
    )


class Text(str):
    """A message for people that knows its key: a plain English string wherever a string goes
    (an exception's message, a log, a test), rendered in the reader's language by
    ``in_language`` (the journal does it with ``Journal.say``)."""

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, /, **values: Any) -> Text:
        text = super().__new__(cls, render(key, "en", **values))
        text.key = key
        text.values = values
        return text

    def in_language(self, language: Language) -> str:
        return render(self.key, language, **self.values)


def shop_failure(code: str, detail: str, language: Language) -> str:
    """A shop that cannot be used: the failure named from its code, then the adapter's words."""
    key = f"shop.error.{code}"
    label = render(key, language) if key in MESSAGES else code
    return render("shop.error", language, label=label, detail=detail)


def localized(value: object, language: Language) -> str:
    """``value`` for people in ``language``: a ``Text`` (or an exception carrying one) is
    rendered in it; anything else is its ``str()``."""
    if isinstance(value, BaseException) and value.args and isinstance(value.args[0], Text):
        return value.args[0].in_language(language)
    if isinstance(value, Text):
        return value.in_language(language)
    return str(value)
