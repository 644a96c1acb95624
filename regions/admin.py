from django.contrib import admin

from regions.models import County, Organisation


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "county", "rss")
    list_filter = ("kind", "county")
    search_fields = ("code", "name", "full_name")
