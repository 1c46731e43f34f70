"""Layout rules the DOCX and HTML renderers share, so both documents look alike."""

from __future__ import annotations

from dxmonitor.reports.model import Cell, Table

TEXT_WIDTH_MM = 210 - 30 - 15  # A4 less the Nghị định 30 left and right margins
MAX_TEXT_WEIGHT = 80  # a long text wraps: past this many characters it asks for no more room
NUMBER_COLUMN_MM = 13  # "STT" in 12 pt bold fits on one line beside 1.9 mm cell padding


def column_shares(table: Table) -> list[float]:
    """Each column's share of the text width: `Table.widths` if given; for a table of units, a narrow STT and a wide
    unit name; for another table without spans (one the office wrote), shares after its longest words and texts."""
    count = table.column_count
    if table.widths and len(table.widths) == count and sum(max(w, 0.0) for w in table.widths) > 0:
        weights = [max(w, 0.0) for w in table.widths]
        return [w / sum(weights) for w in weights]
    rows = [*table.header, *(row.cells for row in table.body)]
    numbered = bool(table.header) and table.header[0][0].text.strip().upper() == "STT"
    if not numbered and all(len(row) == count and all(c.colspan == c.rowspan == 1 for c in row) for row in rows):
        return _text_shares(rows, count)
    if count < 3:
        return [1 / count] * count
    first = NUMBER_COLUMN_MM / TEXT_WIDTH_MM
    share = (1 - first) / (count + 0.5)  # the unit name gets 2.5 shares, every other column one
    return [first, share * 2.5] + [share] * (count - 2)


# The visible digital signature's box in the signer's block, between the title and the name: the DOCX leaves that
# room and marks its top left with the bookmark SIGNATURE_ANCHOR, which the PDF keeps as a named destination.
SIGNATURE_ANCHOR = "ChuKySo"
SIGNATURE_BOX_MM = (60.0, 20.0)  # width, height


def _text_shares(rows: list[list[Cell]], count: int) -> list[float]:
    """Room for each column's longest word (never broken) and more for its longest text, within bounds."""
    weights = []
    for c in range(count):
        texts = [row[c].text for row in rows]
        longest_word = max((len(word) for text in texts for word in text.split()), default=1)
        longest_text = max((len(text) for text in texts), default=1)
        weights.append(max(longest_word + 2, min(longest_text, MAX_TEXT_WEIGHT) / 2, 4))
    return [w / sum(weights) for w in weights]
