"""The fixed personas of the tests: alice the admin, bob the reporter of Đồng Phú, chi the reporter of Lộc Ninh,
dung the viewer (the `personas` fixture in conftest.py creates them)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from dxmonitor.accounts.models import Membership
from dxmonitor.accounts.scope import Role
from dxmonitor.catalogue.models import Unit

PASSWORD = "Mật-khẩu-dài-2022"


def make_user(name: str, role: Role, unit: str | None = None) -> User:
    user = User.objects.create_user(
        name, password=PASSWORD, is_staff=role is Role.ADMIN, is_superuser=role is Role.ADMIN
    )
    Membership.objects.create(user=user, role=role.value, unit=Unit.objects.get(code=unit) if unit else None)
    return user


def make_personas() -> dict[str, User]:
    return {
        "admin": make_user("alice", Role.ADMIN),
        "dong_phu": make_user("bob", Role.REPORTER, "BP.DONG_PHU"),
        "loc_ninh": make_user("chi", Role.REPORTER, "BP.LOC_NINH"),
        "viewer": make_user("dung", Role.VIEWER),
    }


def signed_in(user: User, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client
