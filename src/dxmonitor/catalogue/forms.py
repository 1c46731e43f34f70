"""The round's form: one validation for the rounds page, the API and the Django admin.

Every message is said in Vietnamese then English ("… / …"), as the write path's problems are; dates are typed
dd/mm/yyyy (ISO is accepted too, for API clients); the deadline is the end of the day typed, local time."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxmonitor.catalogue.issuers import ROUND_ISSUER_FIELDS
from dxmonitor.catalogue.models import Dataset, Round
from dxmonitor.catalogue.round_store import default_datasets, issuer_defaults, previous_round
from dxmonitor.catalogue.rounds import RoundCodeError, check_round_code, next_code, round_end, round_name
from dxmonitor.evaluation.formats import short_date
from dxmonitor.web.language import round_name as speak_round_name

DAY_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
END_OF_DAY = time(23, 59)


def both(vi: str, en: str) -> str:
    return f"{vi} / {en}"


def split(message: str) -> tuple[str, str]:
    """A message of this form as its two languages (the API answers them apart)."""
    vi, _, en = message.partition(" / ")
    return vi, en or vi


def _day_field(label: Any, what_vi: str, what_en: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DAY_FORMATS,
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "class": "day-picker", "autocomplete": "off"}
        ),
        error_messages={
            "invalid": both(
                f"{what_vi} phải là một ngày dạng dd/mm/yyyy, ví dụ 15/08/2022",
                f"{what_en} must be a day written dd/mm/yyyy, e.g. 15/08/2022",
            )
        },
    )


def _issuer_field(label: Any, max_length: int | None, help_text: Any = "") -> forms.CharField:
    """One part of who issues the round's report; left blank it takes the issuer in force on the round's days."""
    what = str(label)
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}) if max_length is None else forms.TextInput(),
        error_messages={
            "max_length": both(f"{what} dài quá {max_length} ký tự", f"{what} is longer than {max_length} characters")
        },
    )


class RoundCodeField(forms.CharField):
    """A round code typed into a form: `07/2022` is refused saying what a code looks like, in both languages."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)  # longer than a code: a wrong one gets the message that says why
        kwargs.setdefault(
            "error_messages",
            {"required": both("Cần nhập mã kỳ, ví dụ 2022-07", "A round code is needed, e.g. 2022-07")},
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        code = str(super().clean(value)).strip()
        try:
            check_round_code(code)
        except RoundCodeError as exc:
            raise forms.ValidationError(both(exc.vi, exc.en), code="round_code") from exc
        return code


class RoundChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """The rounds to compare with, named in the page's language ("2022-06 — June 2022" on an English page)."""

    def label_from_instance(self, obj: Round) -> str:
        return f"{obj.code} — {speak_round_name(obj.name)}"


class RoundForm(forms.ModelForm):  # type: ignore[type-arg]
    """A round's code, name, baseline, deadline, datasets and issuing details; a new round's defaults come from
    the round before it."""

    code = RoundCodeField(label=_("Mã kỳ (YYYY-MM)"))
    name = forms.CharField(
        label=_("Tên kỳ"),
        required=False,
        max_length=64,
        help_text=_("để trống: “tháng M/YYYY”"),
        error_messages={"max_length": both("Tên kỳ dài quá 64 ký tự", "The name is longer than 64 characters")},
    )
    baseline = RoundChoice(
        label=_("So sánh với kỳ"),
        queryset=Round.objects.order_by("-code"),
        required=False,
        to_field_name="code",
        error_messages={"invalid_choice": both("Không có kỳ so sánh này", "No such baseline round")},
    )
    deadline = _day_field(_("Hạn nộp (dd/mm/yyyy)"), "Hạn nộp", "The deadline")
    datasets = forms.ModelMultipleChoiceField(
        label=_("Bộ số liệu thu thập kỳ này"),
        queryset=Dataset.objects.order_by("code"),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": both("Chọn ít nhất một bộ số liệu", "Choose at least one dataset"),
            "invalid_choice": both("Không có bộ số liệu '%(value)s'", "No dataset '%(value)s'"),
            "invalid_pk_value": both("Không có bộ số liệu '%(pk)s'", "No dataset '%(pk)s'"),
        },
    )
    report_number = forms.CharField(
        label=_("Số báo cáo"), required=False, max_length=32, help_text=_("ví dụ 03/BC-STTTT")
    )
    report_date = _day_field(_("Ngày ban hành báo cáo (dd/mm/yyyy)"), "Ngày ban hành", "The report's date")
    # Who issues the report: blank parts take the issuer in force on the round's days (issuers.yaml, overrides).
    issuer_parent_agency = _issuer_field(_("Cơ quan chủ quản"), 200, _("ví dụ UBND TỈNH ĐỒNG NAI"))
    issuer_agency = _issuer_field(_("Cơ quan ban hành"), 200, _("ví dụ SỞ KHOA HỌC VÀ CÔNG NGHỆ"))
    issuer_agency_name = _issuer_field(_("Tên cơ quan trong lời văn"), 200, _("ví dụ Sở Khoa học và Công nghệ"))
    issuer_place = _issuer_field(_("Địa danh ghi trước ngày"), 100, _("ví dụ Đồng Nai"))
    issuer_signer_title = _issuer_field(_("Chức vụ người ký"), 100, _("ví dụ GIÁM ĐỐC"))
    issuer_signer_name = _issuer_field(_("Họ tên người ký"), 100)
    issuer_series = _issuer_field(_("Ký hiệu văn bản"), 24, _("ví dụ BC-SKHCN, như trong “Số: 02/BC-SKHCN”"))
    issuer_recipients = _issuer_field(_("Nơi nhận (mỗi dòng một nơi)"), None)

    class Meta:
        model = Round
        fields = [
            "code",
            "name",
            "baseline",
            "deadline",
            "datasets",
            "report_number",
            "report_date",
            *ROUND_ISSUER_FIELDS,
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        instance: Round = self.instance
        if instance.pk:
            if instance.deadline:
                self.initial["deadline"] = timezone.localtime(instance.deadline).date()
            baseline = self.fields["baseline"]
            assert isinstance(baseline, forms.ModelChoiceField)
            baseline.queryset = Round.objects.exclude(pk=instance.pk).order_by("-code")
            self.fields["baseline"].initial = instance.baseline.code if instance.baseline else None
            self.initial["baseline"] = instance.baseline.code if instance.baseline else None
            self.initial["datasets"] = [d.code for d in instance.datasets.all()]
            try:  # the code stays as it is, unless it is a wrong one saved before codes were checked
                check_round_code(instance.code)
                self.fields["code"].disabled = True
            except RoundCodeError:
                pass
        elif not self.is_bound:
            self.initial.update(new_round_initial())

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"])
        if Round.objects.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(both(f"Đã có kỳ báo cáo {code}", f"Round {code} already exists"), code="unique")
        return code

    def clean_deadline(self) -> datetime | None:
        day: date | None = self.cleaned_data.get("deadline")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day, END_OF_DAY))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        code = cleaned.get("code")
        if not code:
            return cleaned
        if not cleaned.get("name"):
            cleaned["name"] = round_name(code)
        in_force = issuer_defaults(code)
        for field in ROUND_ISSUER_FIELDS:
            lines = (line.strip() for line in str(cleaned.get(field) or "").splitlines())
            cleaned[field] = "\n".join(line for line in lines if line) or in_force[field]
        baseline: Round | None = cleaned.get("baseline")
        if baseline is not None and baseline.code >= code:
            self.add_error(
                "baseline",
                both(
                    f"Kỳ so sánh {baseline.code} phải trước kỳ {code}",
                    f"The baseline {baseline.code} must come before {code}",
                ),
            )
        deadline: datetime | None = cleaned.get("deadline")
        start = round_end(code).replace(day=1)
        if deadline is not None and timezone.localtime(deadline).date() < start:
            day = short_date(timezone.localtime(deadline).date())
            self.add_error(
                "deadline",
                both(
                    f"Hạn nộp {day} trước khi kỳ {round_name(code)} bắt đầu",
                    f"The deadline {day} comes before round {code} begins",
                ),
            )
        return cleaned

    def issuer_fields(self) -> list[forms.BoundField]:
        """The fields of who issues the report, shown together on the round's page."""
        return [self[name] for name in ROUND_ISSUER_FIELDS]

    def changes(self) -> str:
        """What a save changes, for the round's record: the fields' names, and for who issues the report each
        part's old → new value (`issuer_agency: “SỞ A” → “SỞ B”`), since the report prints them."""
        said = []
        for field in self.changed_data:
            if field not in ROUND_ISSUER_FIELDS:
                said.append(field)
                continue
            old, new = (str(v or "").replace("\n", "; ") for v in (self.initial.get(field), self.cleaned_data[field]))
            if old != new:
                said.append(f"{field}: “{old}” → “{new}”")
        return ", ".join(said)

    def validate_unique(self) -> None:
        """The model's own unique check says it in English only; clean_code has said it in both languages."""


def new_round_initial() -> dict[str, object]:
    """A new round's defaults: the month after the latest round, its name, compared with that latest round and
    collecting what it collected (every dataset units send when there is none)."""
    latest = Round.objects.order_by("-code").first()
    code = ""
    if latest is not None:
        try:
            code = next_code(latest.code)
        except RoundCodeError:
            code = ""
    previous = previous_round(code) if code else latest
    chosen: QuerySet[Dataset] = default_datasets(previous)
    return {
        "code": code,
        "name": round_name(code) if code else "",
        "baseline": previous.code if previous else None,
        "datasets": [d.code for d in chosen],
    }


def defaults_for(code: str | None) -> dict[str, object]:
    """The defaults of a new round `code` (valid; None: after the latest) for a client that leaves them out: name,
    baseline, datasets."""
    previous = previous_round(code) if code else Round.objects.order_by("-code").first()
    return {
        "name": round_name(code) if code else "",
        "baseline": previous.code if previous else None,
        "datasets": [d.code for d in default_datasets(previous)],
    }
