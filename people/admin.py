from django.contrib import admin

from people.models import Agency, Person, Position, PositionLevel, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "utc_offset")
    search_fields = ("code", "name")
    list_filter = ("level",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "type", "region")
    search_fields = ("code", "name", "short_name")
    list_filter = ("type",)


class LevelInline(admin.TabularInline):
    model = PositionLevel
    extra = 0


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind")
    inlines = [LevelInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("full_name", "employment_type", "agency", "province")
    search_fields = ("sort_name", "nip", "nik")
    list_filter = ("employment_type",)
    raw_id_fields = ("agency", "region", "province", "position", "level")
    show_full_result_count = False

    # Changes go through people.services (validation and audit); the admin only shows.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
