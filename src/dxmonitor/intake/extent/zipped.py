"""The parts of a zipped workbook (XLSX, ODS), unpacked as they really are, within the limit of their unpacked size."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from dxmonitor.intake.limits import Limits, ReadError, TooLarge, mebibytes

END_OF_DIRECTORY = b"PK\x05\x06"


def damaged(reason: str) -> ReadError:
    return ReadError(
        f"không mở được bảng tính (tệp hỏng hoặc không phải Excel): {reason}",
        f"cannot open the workbook (damaged or not Excel): {reason}",
    )


def open_zip(path: Path) -> zipfile.ZipFile | None:
    """The workbook's zip archive; None for a file that is no zip at all, which calamine refuses with its own words
    (an encrypted workbook is such a file, and calamine says it needs a password)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        if END_OF_DIRECTORY in path.read_bytes():  # calamine's zip reader might make sense of it where Python did not
            raise damaged(str(exc)) from exc
        return None
    names = [info.filename for info in archive.infolist()]
    if len(set(names)) != len(names):  # two readers could pick different ones of the same name
        archive.close()
        raise damaged("hai phần cùng tên / two parts with one name")
    return archive


class Unpacker:
    """Unpacks parts one by one, counting what they come to against the unpacked-size limit."""

    def __init__(self, archive: zipfile.ZipFile, limits: Limits):
        self.archive = archive
        self.limits = limits
        self.left = limits.unpacked_bytes

    def unpack(self, info: zipfile.ZipInfo) -> bytes:
        """The part's real content: read to the end of its compressed stream, not to the size the directory claims
        (calamine reads it that way), and never past what is left of the limit."""
        claimed = info.file_size  # the archive is this object's own: its entry is lent and given back as it was
        info.file_size = self.left + 2  # beyond what is read: zipfile checks the CRC only at the stream's real end
        try:
            with self.archive.open(info) as part:
                data = part.read(self.left + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, RuntimeError, NotImplementedError, EOFError) as exc:
            raise damaged(f"{info.filename}: {exc}") from exc
        finally:
            info.file_size = claimed
        if len(data) > self.left:
            raise TooLarge(
                "unpacked_bytes",
                f"bảng tính giải nén ra hơn {mebibytes(self.limits.unpacked_bytes)}, vượt giới hạn",
                f"the workbook unpacks to more than {mebibytes(self.limits.unpacked_bytes)}, beyond the limit",
            )
        self.left -= len(data)
        return data
