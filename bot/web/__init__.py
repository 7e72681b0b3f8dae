"""`informex-bot serve`: the web page through which the shop's office uses the bot day to day.

Office staff hand a dossier to the bot the moment it is complete, watch its steps and screenshots
as they pass, read last night's runs and see whether the portals still fit, from a browser on the
shop's network, in Dutch or French. The page never drives a browser itself: a click starts the
same `informex-bot run` a terminal would (same validation, engine, per-dossier lease and exit
codes), and the page follows that run's folder (ledger, screenshots, results). Work that needs a
browser only to read (the list of waiting dossiers, the health check, the values a link wrote)
runs in a child process too (`bot.web.tasks`), so the server stays one small, thread-safe process.
"""
