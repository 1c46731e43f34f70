"""The forms of the accounts pages: invite a person, change a role; the login page's forgotten password."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from dxmonitor.accounts.models import AccountEvent
from dxmonitor.accounts.people import Invitation, record, units_in_force
from dxmonitor.accounts.scope import ROLE_LABELS, Role
from dxmonitor.catalogue.models import Unit

if TYPE_CHECKING:  # generic for the type checker only: Django's field classes take no type argument at run time
    UnitField = forms.ModelChoiceField[Unit]
else:
    UnitField = forms.ModelChoiceField


def _role_choices() -> list[tuple[str, str]]:
    return [(role.value, _(label)) for role, label in ROLE_LABELS.items()]  # type: ignore[misc]


class UnitChoice(UnitField):
    """The units in force today, by name, with their code (two districts' communes may share a name)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=units_in_force(), required=False, to_field_name="code", **kwargs)

    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.code})"


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Vai trò"),
        choices=_role_choices,
        error_messages={"invalid_choice": "Không có vai trò %(value)s / no role %(value)s"},
    )
    unit = UnitChoice(
        label=_("Đơn vị"),
        empty_label=_("— chọn đơn vị —"),
        error_messages={
            "invalid_choice": "Không có đơn vị %(value)s còn hiệu lực hôm nay / no unit %(value)s in force today"
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, UnitChoice)
        unit.queryset = units_in_force()  # today's, not the day the module was imported

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.REPORTER and not data.get("unit") and "unit" not in self.errors:
            self.add_error("unit", "Cán bộ đơn vị cần một đơn vị / a reporter needs a unit")
        return data

    @property
    def chosen(self) -> tuple[Role, Unit | None]:
        role = Role(self.cleaned_data["role"])
        # A viewer or an admin reads every unit: a unit given with those roles only says where the person works.
        return role, self.cleaned_data.get("unit")


class InviteForm(RoleForm):
    email = forms.EmailField(
        label=_("Thư điện tử"),
        error_messages={
            "required": "Hãy nhập thư điện tử / the e-mail address is required",
            "invalid": "Thư điện tử không hợp lệ / not a valid e-mail address",
        },
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        required=False,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Để trống: phần trước @ của thư điện tử"),
    )
    field_order = ["email", "full_name", "username", "role", "unit"]

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "Đã có tài khoản dùng thư %(email)s / an account already uses %(email)s", params={"email": email}
            )
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        username = (data.get("username") or "").strip() or (data.get("email") or "").partition("@")[0]
        if username and User.objects.filter(username__iexact=username).exists():
            self.add_error(
                "username",
                forms.ValidationError(
                    "Tên đăng nhập %(name)s đã có / the user name %(name)s is taken", params={"name": username}
                ),
            )
        data["username"] = username
        return data

    def invitation(self) -> Invitation:
        role, unit = self.chosen
        data = self.cleaned_data
        return Invitation(data["username"], data["email"], data["full_name"].strip(), role, unit)


class RosterForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp CSV"),
        error_messages={
            "required": "Hãy chọn tệp CSV / choose a CSV file",
            "empty": "Tệp trống / the file is empty",
        },
    )


class ForgottenPasswordForm(PasswordResetForm):
    """The login page's "forgotten password": Django's form, reaching also the invited who never set a password
    (the link is the one their invitation carried), and recorded in the account's audit."""

    def get_users(self, email: str) -> Iterable[User]:
        return User.objects.filter(email__iexact=email, is_active=True)

    def send_mail(
        self, subject_template_name: str, email_template_name: str, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> None:
        user: User = context["user"]
        record("", user, AccountEvent.Action.PASSWORD_LINK_SENT, email=user.email, via="login")
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
