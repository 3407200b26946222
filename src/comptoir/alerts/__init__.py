"""E-mail alerts: the mailer, what is worth a mail after a run, and the checks of the server's loop."""
