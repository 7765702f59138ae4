"""Notifications in the admin: read only (they are made by the notification task)."""

from django.contrib import admin
from django.http import HttpRequest

from members.models import Notification, NotificationMute


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = ["created_at", "kind", "member", "subject", "recipient", "read_at", "emailed_at"]
    list_filter = ["kind"]
    list_select_related = ["member", "recipient"]
    search_fields = ["subject", "recipient__email"]
    fields = [
        "kind",
        "member",
        "subject",
        "detail",
        "link",
        "recipient",
        "created_at",
        "read_at",
        "emailed_at",
    ]


@admin.register(NotificationMute)
class NotificationMuteAdmin(ReadOnly):
    list_display = ["user", "kind"]
    list_select_related = ["user"]
    fields = ["user", "kind"]
