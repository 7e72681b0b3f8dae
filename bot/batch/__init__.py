"""The nightly batch: many dossiers from a file (or discovered), a durable ledger, a report.

`input_file` turns what the office exports (CSV from Excel, an .xlsx sheet, JSON lines) into
validated jobs and rejected rows; `ledger` remembers every dossier's state on disk so a killed
batch resumes without losing a result or injecting a dossier twice; `orchestrator` runs them.
"""
