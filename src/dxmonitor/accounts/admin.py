from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from dxmonitor.accounts.models import ApiToken, Membership


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    autocomplete_fields = ["unit"]


class UserWithRoleAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ("username", "first_name", "last_name", "role", "unit", "is_active")

    @admin.display(description="vai trò")
    def role(self, user: User) -> str:
        membership = getattr(user, "membership", None)
        return membership.get_role_display() if membership else ""

    @admin.display(description="đơn vị")
    def unit(self, user: User) -> str:
        membership = getattr(user, "membership", None)
        return membership.unit.code if membership and membership.unit else ""


admin.site.unregister(User)
admin.site.register(User, UserWithRoleAdmin)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "unit", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_at", "last_used_at")
    exclude = ("key_hash",)

    def has_add_permission(self, request: object) -> bool:
        return False  # keys are issued by `dxmonitor token create`, which shows the key once
