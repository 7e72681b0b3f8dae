"""The morning report of a run: `report.html` for people, `junit.xml` for monitoring tools.

Both are rebuilt from the run folder alone (`results.json`, `bot.log.jsonl`, the screenshots), so
`informex-bot report RUN_DIR` can redo them at any time, also for a run that was killed.
"""

from bot.report.html_report import build_report
from bot.report.junit import write_junit

__all__ = ["build_report", "write_junit"]
