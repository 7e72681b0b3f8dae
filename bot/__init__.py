"""informex-bot: links PlanManager repair dossiers to their Informex insurance assignments.

The bot injects a PlanManager dossier into Winformex (the small "i" button) exactly once, opens
the imported Informex dossier and fills "Gegevens 2e circuit" with the insurance assignment's
opdrachtnummer and the vehicle data, then reads the portals back to prove the link holds.
"""

__version__ = "0.1.0"
