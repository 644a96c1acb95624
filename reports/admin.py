from django.contrib import admin
from django.http import HttpRequest

from reports.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """The export jobs, read only: they are made and changed by the export page."""

    list_display = (
        "pk",
        "document",
        "format",
        "questionnaire",
        "organisation",
        "status",
        "progress",
        "requested_by",
        "requested_at",
        "finished_at",
        "size",
    )
    list_filter = ("status", "document", "format", "questionnaire__cycle")
    list_select_related = ("questionnaire", "organisation", "requested_by")
    date_hierarchy = "requested_at"
    readonly_fields = [field.name for field in ExportJob._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
