"""A roster of accounts to create from a CSV file: a row a person, with the unit they report for (by code or by name as
people write it, read on the tree in force on the day), their name, e-mail and optionally role and user name.

Read and checked all at once against the catalogue and the accounts that exist; every problem is named by row and
column, in Vietnamese and English. Pure: no database, no mail (accounts/people.py creates the accounts)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from dxmonitor.accounts.scope import ROLE_LABELS, Role
from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.schema import Unit
from dxmonitor.catalogue.tree import in_force, on, units_on
from dxmonitor.intake.kept import unit_index
from dxmonitor.intake.names import folded
from dxmonitor.problems import Location, Problem, error, has_errors, warning

# A header's folded form (no diacritics, "_" for spaces) → its field; "ten_don_vi" is the template's unit name, shown
# to the person filling it in and not read (the code beside it says which unit).
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "unit": ("don_vi", "unit", "ma_don_vi", "unit_code"),
    "name": ("ho_ten", "ho_va_ten", "name", "full_name"),
    "email": ("email", "e_mail", "thu_dien_tu"),
    "role": ("vai_tro", "role"),
    "username": ("ten_dang_nhap", "username"),
    "unit_name": ("ten_don_vi", "unit_name"),
}
FIELD_OF = {name: f for f, names in FIELD_NAMES.items() for name in names}
REQUIRED = ("unit", "name", "email")
TEMPLATE_HEADER = ("don_vi", "ten_don_vi", "ho_ten", "email", "vai_tro")
MAX_BYTES = 2_000_000
MAX_ROWS = 5_000
NAME_LENGTH = 150  # Django's user name and first name
_USERNAME = re.compile(r"^[\w.@+-]+\Z")  # Django's UnicodeUsernameValidator
_ROLE_OF = {folded(text): role for role in Role for text in (role.value, ROLE_LABELS[role])}


@dataclass(frozen=True)
class Person:
    """One account to create: the file's row, the unit's code (None for an admin or viewer without one)."""

    row: int
    unit: str | None
    full_name: str
    email: str
    role: Role
    username: str


@dataclass(frozen=True)
class Taken:
    """The user names and e-mail addresses accounts already use, case folded."""

    usernames: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()


@dataclass
class Roster:
    file: str
    people: list[Person] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def reporting_units(catalogue: Catalogue, day: date) -> list[Unit]:
    """The units a person reports for on `day`, in catalogue order: every unit in force but the groups and the
    province itself (its figures are the office's)."""
    return [
        u for u in units_on(catalogue, on(day)) if u.kind != "group" and not (u.kind == "province" and not u.parent)
    ]


def template_csv(catalogue: Catalogue, day: date) -> str:
    """A roster to fill in: a row for every reporting unit in force on `day` (code and name), name and e-mail blank."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    for unit in reporting_units(catalogue, day):
        writer.writerow([unit.code, unit.name, "", "", Role.REPORTER.value])
    return out.getvalue()


def _header_key(text: str) -> str:
    return folded(text).replace(" ", "_").replace("-", "_")


def _decode(data: bytes, file: str) -> tuple[str | None, list[Problem]]:
    where = Location(file)
    if len(data) > MAX_BYTES:
        vi = f"tệp quá lớn ({len(data):,} byte; tối đa {MAX_BYTES:,})"
        return None, [error(where, vi, f"the file is too large ({len(data):,} bytes; at most {MAX_BYTES:,})")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return None, [
            error(
                where,
                "tệp không phải UTF-8: trong Excel hãy lưu dạng 'CSV UTF-8 (Comma delimited)'",
                "the file is not UTF-8: in Excel save it as 'CSV UTF-8 (Comma delimited)'",
            )
        ]


def _rows(text: str) -> list[list[str]]:
    first = text.split("\n", 1)[0]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(first, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def read_roster(data: bytes, file: str, catalogue: Catalogue, day: date, taken: Taken | None = None) -> Roster:
    """The people of a CSV file with every problem found, units read on the tree of `day`, names and addresses checked
    against those `taken`; `ok` only if none is an error."""
    roster = Roster(file)
    text, roster.problems = _decode(data, file)
    if text is None:
        return roster
    rows = _rows(text)
    if not rows or not any(c.strip() for c in rows[0]):
        roster.problems.append(error(Location(file, row=1), "tệp không có dòng tiêu đề", "the file has no header row"))
        return roster
    columns = _columns(rows[0], roster)
    if not roster.ok:
        return roster
    body = rows[1:]
    if len(body) > MAX_ROWS:
        vi, en = f"tệp có {len(body)} dòng; tối đa {MAX_ROWS}", f"the file has {len(body)} rows; at most {MAX_ROWS}"
        roster.problems.append(error(Location(file), vi, en))
        return roster
    checker = _Checker(roster, columns, catalogue, day, taken or Taken())
    for number, cells in enumerate(body, start=2):
        checker.row(number, cells)
    if not roster.people and roster.ok:
        vi, en = (
            "tệp không có người nào (họ tên và thư điện tử trống)",
            "the file names no one (names and e-mails blank)",
        )
        roster.problems.append(error(Location(file), vi, en))
    return roster


def _columns(header: list[str], roster: Roster) -> dict[str, tuple[int, str]]:
    """Each field's column (index and label as written); problems for missing, repeated and unknown columns."""
    found: dict[str, tuple[int, str]] = {}
    where = Location(roster.file, row=1)
    for i, label in enumerate(header):
        key = _header_key(label)
        if not key:
            continue
        name = FIELD_OF.get(key)
        if name is None:
            vi, en = f"cột '{label}' không dùng đến, bỏ qua", f"column '{label}' is not used, ignored"
            roster.problems.append(warning(Location(roster.file, row=1, column=label), vi, en))
        elif name in found:
            vi, en = f"cột '{label}' lặp lại cột '{found[name][1]}'", f"column '{label}' repeats '{found[name][1]}'"
            roster.problems.append(error(Location(roster.file, row=1, column=label), vi, en))
        else:
            found[name] = (i, label)
    missing = [f for f in REQUIRED if f not in found]
    if missing:
        wanted = ", ".join(f"{FIELD_NAMES[f][0]} ({f})" for f in missing)
        roster.problems.append(error(where, f"thiếu cột: {wanted}", f"missing column(s): {wanted}"))
    return found


class _Checker:
    """Checks rows one by one, remembering the names and addresses of the rows before."""

    def __init__(
        self, roster: Roster, columns: dict[str, tuple[int, str]], catalogue: Catalogue, day: date, taken: Taken
    ) -> None:
        self.roster, self.columns, self.catalogue, self.day, self.taken = roster, columns, catalogue, day, taken
        self.today = unit_index(catalogue, on(day))
        self.emails: dict[str, int] = {}
        self.usernames: dict[str, int] = {}

    def cell(self, cells: list[str], name: str) -> str:
        index = self.columns.get(name, (None, ""))[0]
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def at(self, row: int, name: str) -> Location:
        return Location(self.roster.file, row=row, column=self.columns.get(name, (0, name))[1])

    def fail(self, row: int, name: str, vi: str, en: str) -> None:
        self.roster.problems.append(error(self.at(row, name), vi, en))

    def row(self, row: int, cells: list[str]) -> None:
        full_name, email, username = self.cell(cells, "name"), self.cell(cells, "email"), self.cell(cells, "username")
        if not (full_name or email or username):
            return  # a blank row, or a template's unit nobody was named for
        before = len(self.roster.errors)
        role = self.role(row, self.cell(cells, "role"))
        unit = self.unit(row, self.cell(cells, "unit"), role)
        if not full_name:
            self.fail(row, "name", "thiếu họ tên", "the name is missing")
        elif len(full_name) > NAME_LENGTH:
            self.fail(row, "name", f"họ tên dài quá {NAME_LENGTH} ký tự", f"the name is over {NAME_LENGTH} characters")
        email = self.email(row, email)
        username = self.username(row, username, email)
        if len(self.roster.errors) == before and role is not None and email and username:
            self.roster.people.append(Person(row, unit, full_name, email, role, username))

    def role(self, row: int, text: str) -> Role | None:
        if not text:
            return Role.REPORTER
        role = _ROLE_OF.get(folded(text))
        if role is None:
            choices = ", ".join(r.value for r in Role)
            self.fail(
                row, "role", f"không có vai trò '{text}' (chọn: {choices})", f"no role '{text}' (one of {choices})"
            )
        return role

    def unit(self, row: int, text: str, role: Role | None) -> str | None:
        if not text:
            if role is Role.REPORTER:
                self.fail(row, "unit", "cán bộ đơn vị cần một đơn vị", "a reporter needs a unit")
            return None
        found = self.today.resolve(text)
        if found.code is not None:
            unit = self.catalogue.units[found.code]
            if unit.kind == "group":
                vi = f"'{unit.name}' là một khối đơn vị, không phải đơn vị báo cáo"
                self.fail(row, "unit", vi, f"'{unit.name}' is a group of units, not a unit that reports")
                return None
            if found.how == "diacritics":
                vi, en = (
                    f"đọc '{text}' là '{unit.name}' (khớp khi bỏ dấu)",
                    f"read '{text}' as '{unit.name}' (without diacritics)",
                )
                self.roster.problems.append(warning(self.at(row, "unit"), vi, en))
            return unit.code
        if found.how == "ambiguous":
            names = "; ".join(found.candidates)
            vi, en = (
                f"'{text}' có thể là nhiều đơn vị: {names}; hãy ghi mã",
                f"'{text}' may be several units: {names}; give the code",
            )
            self.fail(row, "unit", vi, en)
            return None
        self.not_today(row, text, found.candidates)
        return None

    def not_today(self, row: int, text: str, suggestions: tuple[str, ...]) -> None:
        """A unit not found on the day's tree: one of another day (ended, naming its successors, or not yet
        begun), or none at all (naming the closest)."""
        other = unit_index(self.catalogue).resolve(text)
        unit = self.catalogue.units.get(other.code) if other.code else None
        when = f"{self.day:%d/%m/%Y}"
        if unit is not None and not in_force(unit, on(self.day)):
            if unit.valid_to is not None and unit.valid_to < self.day:
                ended = f"{unit.valid_to:%d/%m/%Y}"
                heirs = ", ".join(self.catalogue.units[c].name for c in unit.successors if c in self.catalogue.units)
                vi, en = f"đơn vị '{unit.name}' đã kết thúc ngày {ended}", f"unit '{unit.name}' ended on {ended}"
                if heirs:
                    vi, en = f"{vi}; đơn vị kế thừa: {heirs}", f"{en}; its successors: {heirs}"
            else:
                began = f"{unit.valid_from:%d/%m/%Y}"
                vi, en = f"đơn vị '{unit.name}' chỉ có từ ngày {began}", f"unit '{unit.name}' exists only from {began}"
            self.fail(row, "unit", vi, en)
            return
        vi, en = f"không có đơn vị '{text}' ngày {when}", f"no unit '{text}' on {when}"
        if suggestions:
            names = "; ".join(suggestions)
            vi, en = f"{vi}; gần nhất: {names}", f"{en}; closest: {names}"
        self.fail(row, "unit", vi, en)

    def email(self, row: int, text: str) -> str:
        if not text:
            self.fail(row, "email", "thiếu thư điện tử", "the e-mail address is missing")
            return ""
        try:
            validate_email(text)
        except ValidationError:
            self.fail(row, "email", f"thư điện tử '{text}' không hợp lệ", f"'{text}' is not a valid e-mail address")
            return ""
        key = text.casefold()
        if key in self.taken.emails:
            vi, en = f"đã có tài khoản dùng thư {text}", f"an account already uses {text}"
            self.fail(row, "email", vi, en)
            return ""
        if key in self.emails:
            first = self.emails[key]
            vi, en = f"thư {text} đã có ở dòng {first}", f"{text} is already on row {first}"
            self.fail(row, "email", vi, en)
            return ""
        self.emails[key] = row
        return text

    def username(self, row: int, given: str, email: str) -> str:
        """The user name given, else the part of the e-mail before @ (as the invitation form makes it)."""
        name = given or email.partition("@")[0]
        if not name:
            return ""
        column = "username" if given else "email"
        hint_vi = "" if given else "; thêm cột ten_dang_nhap để đặt tên khác"
        hint_en = "" if given else "; add a username column to choose another"
        if len(name) > NAME_LENGTH or not _USERNAME.match(name):
            vi = f"tên đăng nhập '{name}' chỉ được có chữ, số và @ . + - _ (tối đa {NAME_LENGTH} ký tự){hint_vi}"
            en = f"user name '{name}' may hold letters, digits and @ . + - _ only (at most {NAME_LENGTH}){hint_en}"
            self.fail(row, column, vi, en)
            return ""
        key = name.casefold()
        if key in self.taken.usernames:
            self.fail(row, column, f"tên đăng nhập {name} đã có{hint_vi}", f"the user name {name} is taken{hint_en}")
        elif key in self.usernames:
            first = self.usernames[key]
            vi = f"tên đăng nhập {name} trùng với dòng {first}{hint_vi}"
            en = f"user name {name} is the same as on row {first}{hint_en}"
            self.fail(row, column, vi, en)
        else:
            self.usernames[key] = row
        return name
