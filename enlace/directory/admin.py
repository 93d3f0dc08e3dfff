from __future__ import annotations

from django.contrib import admin

from enlace.directory.models import (
    Agency,
    Country,
    CountryProfile,
    ExchangeRate,
    Jurisdiction,
    Protocol,
    ProtocolIndicator,
)


class ExchangeRateInline(admin.TabularInline[ExchangeRate, CountryProfile]):
    model = ExchangeRate
    extra = 0


@admin.register(CountryProfile)
class CountryProfileAdmin(admin.ModelAdmin[CountryProfile]):
    list_display = ["code", "name", "currency", "holidays_country"]
    inlines = [ExchangeRateInline]


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin[Jurisdiction]):
    list_display = ["code", "name", "abbreviation"]
    search_fields = ["name", "code"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin[Country]):
    list_display = ["iso2", "iso3", "name", "name_es"]
    search_fields = ["iso2", "iso3", "name", "name_es"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["code", "name", "level", "kind", "jurisdiction", "active"]
    list_filter = ["level", "kind", "active"]
    search_fields = ["code", "name", "name_en"]
    autocomplete_fields = ["jurisdiction", "country", "parent"]


class IndicatorInline(admin.TabularInline[ProtocolIndicator, Protocol]):
    model = ProtocolIndicator
    extra = 0


@admin.register(Protocol)
class ProtocolAdmin(admin.ModelAdmin[Protocol]):
    list_display = ["code", "name", "used_by", "threshold"]
    inlines = [IndicatorInline]
