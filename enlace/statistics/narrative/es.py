"""The narrative in Spanish, as the Mexican government would submit it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from enlace.statistics.narrative.language import Language, format_decimal

MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)

# Heads ending in -a that are masculine, and the feminine ones the ending rule
# misses; enough for the names of Mexican public bodies.
MASCULINE_HEADS = frozenset({"sistema", "programa", "día", "mapa"})
FEMININE_HEADS = frozenset({"red", "sede", "clase"})
FEMININE_ENDINGS = ("a", "ión", "dad", "tad", "tud")


class Spanish(Language):
    code = "es"
    digits = ("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve")
    # Never a serial comma: "A, B y C".
    conjunction = "y"
    serial_comma = ""
    form_purposes = {
        "sex_trafficking": "con fines de explotación sexual",
        "forced_labour": "en trabajos o servicios forzados",
        "forced_begging": "en mendicidad forzosa",
        "forced_criminality": "en actividades delictivas forzadas",
        "other": "con otros fines",
        "unspecified": "sin especificar",
    }
    form_modifiers = {
        "sex_trafficking": "de explotación sexual",
        "forced_labour": "de trabajo forzoso",
        "forced_begging": "de mendicidad forzosa",
        "forced_criminality": "de actividades delictivas forzadas",
    }
    trafficking_modifier = "de trata"
    sex_outcomes = {
        "male": "eran de sexo masculino",
        "female": "eran de sexo femenino",
        "unspecified": "no tenían su sexo especificado",
    }
    level_subjects = {
        "federal": "El gobierno federal identificó a",
        "state": "Los gobiernos estatales identificaron a",
        "municipal": "Los gobiernos municipales identificaron a",
    }
    government = "El gobierno"
    approximately = "aproximadamente"
    less_than_one_percent = "menos del 1 por ciento"
    abroad = "en el extranjero"
    including = "incluidas"
    jurisdiction_key = "jurisdiction"
    dollars_written = "words"

    def number(self, n: int, *, feminine: bool = False) -> str:
        """ "Uno" becomes "una" before a feminine noun ("una víctima")."""
        if n == 1 and feminine:
            return "una"
        return super().number(n)

    def millions_of(self, millions: int, currency: str) -> str:
        unit = "millón" if millions == 1 else "millones"
        return (
            f"aproximadamente {millions} {unit} de {currency}"
            if currency
            else (f"aproximadamente {millions} {unit}")
        )

    def dollars(self, amount: Decimal, *, spelled: bool) -> str:
        # Spelled out where the profile says readers take "$" for the country's currency.
        if spelled:
            return f"{format_decimal(amount)} {'dólar' if amount == 1 else 'dólares'}"
        return f"US${format_decimal(amount)}"

    def month_year(self, day: date) -> str:
        return f"{MONTHS[day.month - 1]} de {day.year}"

    def in_year(self, year: Any) -> str:
        return f"en {year}"

    def compared_to(self, items: str) -> str:
        return f"en comparación con {items}"

    def article(self, name: str) -> str:
        head = name.split(" ", 1)[0].lower()
        if head in MASCULINE_HEADS:
            return "El"
        feminine = head in FEMININE_HEADS or head.endswith(FEMININE_ENDINGS)
        return "La" if feminine else "El"

    def victims(self, n: int) -> str:
        return f"{self.number(n, feminine=True)} {'víctima' if n == 1 else 'víctimas'}"

    def trafficking_victims(self, n: int) -> str:
        return f"{self.victims(n)} de trata"

    def identified(self, total: int) -> str:
        return f"El gobierno informó haber identificado a {self.trafficking_victims(total)}"

    def after_forms(self, compared: str) -> str:
        # The closing dash stays before the full stop.
        return f"\u2014, {compared}" if compared else "\u2014"

    def total_range(self, low: int, high: int) -> str:
        return (
            f"Los registros aún en revisión podrían reducir el total hasta {low:,}; "
            f"{high:,} los cuenta como están vinculados hasta ahora."
        )

    def percent(self, share: int) -> str:
        return f"el {share} por ciento"

    def of_the_identified(self, total: int) -> str:
        victims = "identificada" if total == 1 else "identificadas"
        return f"De {'la' if total == 1 else 'las'} {self.trafficking_victims(total)} {victims}"

    def identified_abroad(
        self, subject: str, total: int, adjective: str | None, modifier: str
    ) -> str:
        victims = "víctima" if total == 1 else "víctimas"
        if adjective and total == 1 and adjective.endswith("s"):
            adjective = adjective[:-1]
        described = " ".join(filter(None, [victims, adjective, modifier]))
        count = self.number(total, feminine=True)
        return f"{subject} identificó y brindó apoyo a {count} {described}"

    def in_country(self, name: str) -> str:
        return f"en {name}"

    def elsewhere(self, countries: int) -> str:
        return "en otro país" if countries == 1 else "en otros países"

    def sheltered(self, operator: str | None, place: str | None, count: int) -> str:
        where = f" en {_place(place)}" if place else ""
        victims = self.trafficking_victims(count)
        if operator is None:
            return f"Un refugio de alta seguridad{where} brindó refugio a {victims}."
        return (
            f"{operator} continuó operando un refugio de alta seguridad{where} "
            f"y brindó refugio a {victims}."
        )

    def fund_established(
        self, year: Any, subject: str, emergency: bool, money: str | None, since: date | None
    ) -> str:
        text = f"En {year}, {subject}" if year else subject
        fund_name = "un fondo de emergencia" if emergency else "un fondo"
        text += f" firmó un convenio para la creación de {fund_name}"
        if money is not None:
            text += f" de {money}"
        text += " para apoyar a víctimas de trata"
        if since:
            text += f", que comenzó a otorgar recursos en {self.month_year(since)}"
        return f"{text}."

    def grant(
        self, subject: str, money: str | None, grantees: int | None, served: int | None
    ) -> str:
        if grantees is None:
            recipients = "organizaciones de la sociedad civil"
        elif grantees == 1:
            recipients = "una organización de la sociedad civil"
        else:
            recipients = f"{self.number(grantees)} organizaciones de la sociedad civil"
        text = f"{subject} otorgó {money or 'recursos'} a {recipients} para brindar servicios"
        text += f" a {self.trafficking_victims(served)}" if served is not None else " a víctimas"
        return f"{text}."

    def assisted(self, subject: str, count: int) -> str:
        return f"{subject} brindó asistencia a {self.victims(count)}."

    def prosecuted(self, subject: str, count: int) -> str:
        verb = "participaba" if count == 1 else "participaban"
        return (
            f"{subject} brindó servicios a {self.trafficking_victims(count)} que {verb} "
            "en el proceso penal contra sus explotadores."
        )

    def assisted_foreigners(self, count: int) -> str:
        victims = "posible víctima extranjera" if count == 1 else "posibles víctimas extranjeras"
        return f"brindó asistencia a {self.number(count, feminine=True)} {victims} de trata"

    def visas_granted(self, count: int) -> str:
        return (
            "otorgó protección migratoria temporal mediante visas por razones humanitarias "
            f"a {self.victims(count)}"
        )

    def change_from(self, direction: int, before: int, year: Any) -> str:
        if direction == 0:
            return f"igual que en {year}"
        change = "una disminución" if direction < 0 else "un aumento"
        return f"{change} respecto de {self.number(before)} en {year}"

    def consecutive(self, direction: int, years: int) -> str:
        more = "menos" if direction < 0 else "más"
        if years > len(ORDINALS) + 1:
            return f"{more} por {years} años consecutivos"
        return f"{more} por {ORDINALS[years - 2]} año consecutivo"


ORDINALS = (
    "segundo",
    "tercer",
    "cuarto",
    "quinto",
    "sexto",
    "séptimo",
    "octavo",
    "noveno",
    "décimo",
)


def _place(place: str) -> str:
    if place.startswith("Ciudad "):
        return f"la {place}"
    if place.startswith("Estado "):
        return f"el {place}"
    return place
