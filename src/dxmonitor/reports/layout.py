"""Layout rules the DOCX and HTML renderers share, so both documents look alike."""

from __future__ import annotations

from dxmonitor.reports.model import Table

TEXT_WIDTH_MM = 210 - 30 - 15  # A4 less the Nghị định 30 left and right margins
NUMBER_COLUMN_MM = 13  # "STT" in 12 pt bold fits on one line beside 1.9 mm cell padding


def column_shares(table: Table) -> list[float]:
    """Each column's share of the text width: `Table.widths` if given, else a narrow STT and a wide unit name."""
    count = table.column_count
    if table.widths and len(table.widths) == count and sum(max(w, 0.0) for w in table.widths) > 0:
        weights = [max(w, 0.0) for w in table.widths]
        return [w / sum(weights) for w in weights]
    if count < 3:
        return [1 / count] * count
    first = NUMBER_COLUMN_MM / TEXT_WIDTH_MM
    share = (1 - first) / (count + 0.5)  # the unit name gets 2.5 shares, every other column one
    return [first, share * 2.5] + [share] * (count - 2)


# The visible digital signature's box in the signer's block, between the title and the name: the DOCX leaves that
# room and marks its top left with the bookmark SIGNATURE_ANCHOR, which the PDF keeps as a named destination.
SIGNATURE_ANCHOR = "ChuKySo"
SIGNATURE_BOX_MM = (60.0, 20.0)  # width, height
