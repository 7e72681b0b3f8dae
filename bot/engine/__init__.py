"""The one engine every command runs dossiers through: retries, ledger, results, report."""
