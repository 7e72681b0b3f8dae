"""Read an HTML table as people see it: rows of {column header: cell text}.

One round trip to the browser per table (instead of one per cell), because an inbox with a few
hundred assignments would otherwise cost seconds.
"""

from __future__ import annotations

from playwright.sync_api import Locator

_READ_TABLE = """
table => {
  const clean = el => (el.innerText || '').replace(/\\s+/g, ' ').trim();
  const rows = Array.from(table.rows);
  const head = rows.find(r => r.querySelector('th') && !r.querySelector('td'));
  const headers = head ? Array.from(head.cells).map(clean) : [];
  return rows.filter(r => r.querySelector('td')).map(row =>
    Object.fromEntries(Array.from(row.cells).map((c, i) => [headers[i] ?? String(i), clean(c)]))
  );
}
"""


def read_table(table: Locator) -> list[dict[str, str]]:
    """Rows of the table as dicts keyed by the header texts (empty list for an empty table)."""
    return table.evaluate(_READ_TABLE)
