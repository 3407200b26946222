"""What the dashboard says, in French and in English (the session's language; French first)."""

from __future__ import annotations

from typing import Any, Literal

Language = Literal["fr", "en"]
LANGUAGES: tuple[Language, ...] = ("fr", "en")

TEXTS: dict[str, dict[Language, str]] = {
    "app.title": {"fr": "comptoir : tableau de bord", "en": "comptoir: dashboard"},
    "nav.profiles": {"fr": "Profils", "en": "Profiles"},
    "nav.logout": {"fr": "Se déconnecter", "en": "Log out"},
    "nav.language": {"fr": "English", "en": "Français"},
    "login.title": {"fr": "Connexion", "en": "Log in"},
    "login.user": {"fr": "Utilisateur", "en": "User"},
    "login.password": {"fr": "Mot de passe", "en": "Password"},
    "login.submit": {"fr": "Se connecter", "en": "Log in"},
    "login.failed": {"fr": "Utilisateur ou mot de passe incorrect.", "en": "Wrong user or password."},
    "profiles.title": {"fr": "Profils", "en": "Profiles"},
    "profiles.folder": {"fr": "Dossier des profils", "en": "Profiles folder"},
    "profiles.none": {"fr": "Aucun profil dans ce dossier.", "en": "No profile in this folder."},
    "profiles.invalid": {"fr": "Fichier invalide", "en": "Invalid file"},
    "profiles.new": {"fr": "Nouveau profil", "en": "New profile"},
    "profiles.create": {"fr": "Créer le profil", "en": "Create the profile"},
    "profiles.created": {"fr": "Profil {name} créé : {file}", "en": "Profile {name} created: {file}"},
    "profiles.exists": {"fr": "Le fichier {file} existe déjà.", "en": "The file {file} already exists."},
    "col.profile": {"fr": "Profil", "en": "Profile"},
    "col.erp": {"fr": "Gestion commerciale", "en": "ERP"},
    "col.shop": {"fr": "Boutique", "en": "Shop"},
    "col.next": {"fr": "Prochaines exécutions", "en": "Next runs"},
    "col.last": {"fr": "Dernières exécutions", "en": "Last runs"},
    "col.job": {"fr": "Tâche", "en": "Job"},
    "col.rule": {"fr": "Règle", "en": "Rule"},
    "col.quiet": {"fr": "Heures creuses", "en": "Quiet hours"},
    "col.next_run": {"fr": "Prochaine exécution", "en": "Next run"},
    "col.status": {"fr": "État", "en": "Status"},
    "col.started": {"fr": "Début", "en": "Started"},
    "col.counts": {
        "fr": "Créés / mis à jour / inchangés / ignorés / en échec",
        "en": "Created / updated / unchanged / skipped / failed",
    },
    "col.order": {"fr": "Commande", "en": "Order"},
    "col.document": {"fr": "Pièce", "en": "Document"},
    "col.error": {"fr": "Motif", "en": "Reason"},
    "col.updated": {"fr": "Mis à jour", "en": "Updated"},
    "col.attempts": {"fr": "Essais", "en": "Attempts"},
    "col.actions": {"fr": "Actions", "en": "Actions"},
    "col.when": {"fr": "Quand", "en": "When"},
    "col.user": {"fr": "Utilisateur", "en": "User"},
    "col.action": {"fr": "Action", "en": "Action"},
    "col.detail": {"fr": "Détail", "en": "Detail"},
    "col.date": {"fr": "Date", "en": "Date"},
    "col.shop_total": {"fr": "Total boutique", "en": "Shop total"},
    "col.erp_total": {"fr": "Total gestion", "en": "ERP total"},
    "col.difference": {"fr": "Écart", "en": "Difference"},
    "col.ledger": {"fr": "Registre", "en": "Ledger"},
    "tab.overview": {"fr": "Vue d'ensemble", "en": "Overview"},
    "tab.edit": {"fr": "Fichier", "en": "File"},
    "tab.mappings": {"fr": "Correspondances", "en": "Mappings"},
    "tab.runs": {"fr": "Historique", "en": "History"},
    "tab.orders": {"fr": "Registre des commandes", "en": "Order ledger"},
    "tab.reconcile": {"fr": "Rapprochement", "en": "Reconciliation"},
    "tab.audit": {"fr": "Actions", "en": "Actions"},
    "jobs.title": {"fr": "Tâches", "en": "Jobs"},
    "jobs.run": {"fr": "Lancer", "en": "Run"},
    "jobs.dry_run": {"fr": "Simuler", "en": "Dry run"},
    "jobs.running": {"fr": "en cours", "en": "running"},
    "jobs.held_by": {"fr": "tenu par {holder} jusqu'à {until}", "en": "held by {holder} until {until}"},
    "schedule.title": {"fr": "Planification", "en": "Schedule"},
    "schedule.none": {
        "fr": "Aucune tâche planifiée ([schedules] dans le fichier).",
        "en": "No scheduled job ([schedules] in the file).",
    },
    "schedule.disabled": {"fr": "désactivée", "en": "disabled"},
    "runs.title": {"fr": "Historique des exécutions", "en": "Run history"},
    "runs.none": {"fr": "Aucune exécution enregistrée.", "en": "No run recorded."},
    "runs.failed_items": {"fr": "Éléments en échec", "en": "Failed items"},
    "runs.journal": {"fr": "Journal", "en": "Journal"},
    "live.title": {"fr": "{job} : journal en direct", "en": "{job}: live journal"},
    "live.dry_title": {"fr": "{job} : simulation", "en": "{job}: dry run"},
    "live.started_by": {"fr": "lancé par {user} à {at}", "en": "started by {user} at {at}"},
    "live.finished": {"fr": "Terminé (code de sortie {code}).", "en": "Finished (exit code {code})."},
    "live.waiting": {"fr": "En cours…", "en": "Running…"},
    "plan.title": {"fr": "Ce que l'exécution ferait", "en": "What the run would do"},
    "plan.create": {"fr": "Serait créé", "en": "Would be created"},
    "plan.update": {
        "fr": "Serait mis à jour (champs qui changent)",
        "en": "Would be updated (fields that change)",
    },
    "plan.failed": {"fr": "En échec", "en": "Failed"},
    "plan.other": {"fr": "Autres lignes", "en": "Other lines"},
    "plan.nothing": {"fr": "Rien à écrire.", "en": "Nothing to write."},
    "edit.title": {"fr": "Fichier du profil", "en": "Profile file"},
    "edit.help": {
        "fr": "Le fichier TOML est la référence : le tableau de bord l'édite et le valide "
        "comme la ligne de commande. Les secrets n'y figurent que comme env:NOM.",
        "en": "The TOML file is the reference: the dashboard edits and validates it as the "
        "command line does. Secrets appear only as env:NAME.",
    },
    "edit.validate": {"fr": "Valider", "en": "Validate"},
    "edit.save": {"fr": "Enregistrer", "en": "Save"},
    "edit.valid": {"fr": "Profil valide.", "en": "Valid profile."},
    "edit.invalid": {
        "fr": "Le profil n'est pas valide, rien n'est enregistré :",
        "en": "The profile is not valid, nothing is saved:",
    },
    "edit.saved": {"fr": "Enregistré.", "en": "Saved."},
    "edit.changed_outside": {
        "fr": "Le fichier a changé depuis l'ouverture de la page : rechargez-la.",
        "en": "The file changed since the page was opened: reload it.",
    },
    "edit.rename": {
        "fr": "Le nom du profil ne peut pas changer ici (name = {name}).",
        "en": "The profile's name cannot change here (name = {name}).",
    },
    "map.title": {"fr": "Correspondances", "en": "Mappings"},
    "map.help": {
        "fr": "Listes lues à l'instant dans la boutique et dans la gestion commerciale.",
        "en": "Lists read just now from the shop and the ERP.",
    },
    "map.shop_error": {"fr": "Boutique illisible : {error}", "en": "Shop could not be read: {error}"},
    "map.erp_error": {
        "fr": "Gestion commerciale illisible : {error}",
        "en": "ERP could not be read: {error}",
    },
    "map.tax": {"fr": "TVA : taux de la boutique → code de taxe", "en": "Tax: shop rate → ERP tax code"},
    "map.status": {"fr": "Statuts de commande → type de pièce", "en": "Order statuses → ERP document type"},
    "map.payment": {
        "fr": "Moyens de paiement → mode de règlement et journal",
        "en": "Payment methods → ERP payment mode and journal",
    },
    "map.record_payment": {"fr": "enregistrer le règlement", "en": "record the payment"},
    "map.stock": {
        "fr": "Dépôts comptés dans le stock (aucun coché : tous)",
        "en": "Warehouses counted in stock (none ticked: all)",
    },
    "map.customers": {
        "fr": "Catégorie tarifaire des clients créés",
        "en": "Price category of created customers",
    },
    "map.grouping": {
        "fr": "Déclinaisons : champs libres (référence mère, attributs)",
        "en": "Variations: free fields (master reference, attributes)",
    },
    "map.master": {"fr": "Référence mère", "en": "Master reference"},
    "map.attribute": {"fr": "Attribut {n} : nom / valeur", "en": "Attribute {n}: name / value"},
    "map.none": {"fr": "(aucun)", "en": "(none)"},
    "map.not_imported": {"fr": "(non importé)", "en": "(not imported)"},
    "map.save": {"fr": "Enregistrer les correspondances", "en": "Save the mappings"},
    "orders.title": {"fr": "Registre des commandes", "en": "Order ledger"},
    "orders.all": {"fr": "Toutes", "en": "All"},
    "orders.none": {"fr": "Aucune commande dans le registre.", "en": "No order in the ledger."},
    "orders.retry": {"fr": "Réessayer", "en": "Retry"},
    "orders.reset": {"fr": "Oublier", "en": "Reset"},
    "orders.reset_done": {
        "fr": "Commande {order} retirée du registre : elle sera importée de nouveau.",
        "en": "Order {order} removed from the ledger: it will be imported again.",
    },
    "orders.retry_help": {
        "fr": "« Réessayer » relance l'import des commandes avec --retry-failed (toutes les "
        "commandes en échec).",
        "en": "“Retry” runs import orders with --retry-failed (every failed order).",
    },
    "reconcile.title": {
        "fr": "Rapprochement boutique / gestion commerciale",
        "en": "Shop / ERP reconciliation",
    },
    "reconcile.since": {"fr": "Du", "en": "From"},
    "reconcile.until": {"fr": "au", "en": "to"},
    "reconcile.show": {"fr": "Afficher", "en": "Show"},
    "reconcile.missing": {"fr": "absente de la gestion commerciale", "en": "missing from the ERP"},
    "reconcile.ok": {"fr": "concorde", "en": "matches"},
    "reconcile.differs": {"fr": "écart", "en": "differs"},
    "reconcile.not_imported": {"fr": "statut non importé", "en": "status not imported"},
    "reconcile.summary": {
        "fr": "{orders} commande(s) ; boutique {shop} ; gestion commerciale {erp} ; {missing} "
        "absente(s), {differ} avec écart",
        "en": "{orders} order(s); shop {shop}; ERP {erp}; {missing} missing, {differ} differing",
    },
    "reconcile.error": {
        "fr": "Rapprochement impossible : {error}",
        "en": "Reconciliation impossible: {error}",
    },
    "alerts.title": {"fr": "Alertes par e-mail", "en": "E-mail alerts"},
    "alerts.none": {
        "fr": "Aucune alerte ([alerts] dans le fichier).",
        "en": "No alert ([alerts] in the file).",
    },
    "alerts.to": {
        "fr": "Destinataires : {to} ; serveur {host} ({security})",
        "en": "Recipients: {to}; server {host} ({security})",
    },
    "alerts.test": {"fr": "Envoyer un e-mail de test", "en": "Send a test e-mail"},
    "alerts.sent": {"fr": "E-mail de test envoyé à {to}.", "en": "Test e-mail sent to {to}."},
    "alerts.failed": {
        "fr": "E-mail de test non envoyé ({code}) : {error}",
        "en": "Test e-mail not sent ({code}): {error}",
    },
    "secrets.title": {"fr": "Secrets (références seulement)", "en": "Secrets (references only)"},
    "audit.title": {
        "fr": "Actions faites depuis le tableau de bord",
        "en": "Actions done from the dashboard",
    },
    "audit.none": {"fr": "Aucune action.", "en": "No action."},
    "error.not_found": {"fr": "Introuvable.", "en": "Not found."},
    "error.forbidden": {"fr": "Refusé : {detail}", "en": "Refused: {detail}"},
    "error.profile_invalid": {
        "fr": "Ce profil n'est pas valide : corrigez le fichier.",
        "en": "This profile is not valid: fix the file.",
    },
    "status.ok": {"fr": "réussie", "en": "ok"},
    "status.items_failed": {"fr": "éléments en échec", "en": "items failed"},
    "status.aborted": {"fr": "arrêtée sur erreur", "en": "stopped on error"},
    "status.held": {"fr": "éléments tenus ailleurs", "en": "items held elsewhere"},
    "status.busy": {"fr": "non lancée (déjà en cours)", "en": "not started (already running)"},
    "status.running": {"fr": "en cours", "en": "running"},
    "state.done": {"fr": "importée", "en": "imported"},
    "state.failed": {"fr": "en échec", "en": "failed"},
    "state.claimed": {"fr": "en cours", "en": "in progress"},
    "state.written": {"fr": "pièce écrite, boutique à marquer", "en": "document written, shop to mark"},
}


def text(language: str, key: str, /, **values: Any) -> str:
    """The text keyed ``key`` in ``language`` (French when the language is unknown)."""
    entry = TEXTS[key]
    template = entry["en"] if language == "en" else entry["fr"]
    return template.format(**values) if values else template
