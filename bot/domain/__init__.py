"""The bot's data and rules, free of Playwright: fields, models, validation, matching, input files.

Everything here is decided without a browser, so it is tested without one.
"""
