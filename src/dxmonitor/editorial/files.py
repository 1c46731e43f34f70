"""A folder of sections as the office writes them: one Markdown file per configured section (`01-goc-chia-se.md`),
the pictures they name beside them. Reading it touches no database; every problem names its file and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dxmonitor.editorial.sections import Slot
from dxmonitor.problems import Location, Problem, error

MAX_TEXT_BYTES = 2_000_000
MAX_PICTURE_BYTES = 20_000_000


@dataclass
class Folder:
    texts: dict[str, str] = field(default_factory=dict)  # by section key
    problems: list[Problem] = field(default_factory=list)
    root: Path | None = None

    def picture(self, name: str) -> bytes | None:
        """The bytes of the picture `name` (a path relative to the folder, never outside it); None if absent."""
        if self.root is None:
            return None
        path = (self.root / name).resolve()
        if not path.is_relative_to(self.root.resolve()) or not path.is_file():
            return None
        if path.stat().st_size > MAX_PICTURE_BYTES:
            return b""  # read as no picture at all: "cannot read", naming it
        return path.read_bytes()


def read_folder(folder: Path, slots: list[Slot]) -> Folder:
    """The texts of `folder` by section key; an unknown Markdown file, a file that is not UTF-8, or a missing
    folder is a problem."""
    out = Folder(root=folder)
    if not folder.is_dir():
        out.problems.append(error(Location(file=str(folder)), "không có thư mục này", "no such folder"))
        return out
    by_file = {s.file: s for s in slots}
    for path in sorted(folder.glob("*.md")):
        slot = by_file.get(path.name)
        if slot is None:
            expected = ", ".join(by_file) or "—"
            out.problems.append(
                error(
                    Location(file=path.name),
                    f"tệp không thuộc mục nào của báo cáo; tên tệp cần là một trong: {expected}",
                    f"the file is no section of the report; file names are: {expected}",
                )
            )
            continue
        text = _decoded(path, out.problems)
        if text is not None:
            out.texts[slot.key] = text
    return out


def decode_text(data: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """`data` read as UTF-8 (a byte-order mark allowed); else the line of the first byte that is not."""
    if len(data) > MAX_TEXT_BYTES:
        return None, [
            error(
                Location(file=name),
                f"tệp quá lớn (hơn {MAX_TEXT_BYTES // 1_000_000} MB văn bản)",
                f"file too large (over {MAX_TEXT_BYTES // 1_000_000} MB of text)",
            )
        ]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            error(
                Location(file=name, row=line),
                "tệp không phải văn bản UTF-8 (hãy lưu lại với bảng mã UTF-8)",
                "the file is not UTF-8 text (save it again as UTF-8)",
            )
        ]


def _decoded(path: Path, problems: list[Problem]) -> str | None:
    text, found = decode_text(path.read_bytes(), path.name)
    problems += found
    return text
