from django.contrib import admin

from aggregation.models import AggregationRun, PublishedValue


@admin.register(AggregationRun)
class AggregationRunAdmin(admin.ModelAdmin):
    """Read-only history of the runs; staff start runs from the aggregation page."""

    list_display = [
        "pk",
        "questionnaire",
        "status",
        "reason",
        "requested_by",
        "requested_at",
        "finished_at",
        "responses",
        "is_current",
    ]
    list_filter = ["status", "is_current", "questionnaire__cycle__year"]
    list_select_related = ["questionnaire__cycle", "requested_by"]
    readonly_fields = [
        "questionnaire",
        "status",
        "reason",
        "requested_by",
        "requested_at",
        "started_at",
        "finished_at",
        "fingerprint",
        "responses",
        "is_current",
        "messages",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PublishedValue)
class PublishedValueAdmin(admin.ModelAdmin):
    """The published figures of earlier years; staff import them as a file (a file
    replaces a whole year, so single values are not edited here)."""

    list_display = [
        "year",
        "question",
        "item",
        "option",
        "level",
        "unit",
        "percent",
        "count",
        "denominator",
        "source",
        "imported_at",
    ]
    list_filter = ["year", "level", "question__questionnaire__audience"]
    list_select_related = ["question"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
