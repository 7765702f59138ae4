"""The baseline of ``manage.py benchmark_api`` (served only by the benchmark's
URLconf, ``metropolis.bench.urls``): the member list and a member's
detail as the API returns them, byte for byte, built from ONE hand-written SQL
query and ``json.dumps``, behind the same authentication, permission and
throttling as the API.

It is the yardstick of the API's cost (the API may spend at most 1.25 times the
baseline's CPU per request), not a source of figures: the fee status, the current head
of government and the arrears are defined by ``members.selectors.member_list``,
and ``tests/api/test_baseline.py`` holds this JSON equal to the API's so that
the two cannot drift apart. Only the accounts that read every city use it.
"""

import datetime
import json
from decimal import Decimal
from typing import Any

from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param

from members.api.serializers import FeeYearQuerySerializer, MemberCitySerializer
from members.models import MemberCity
from members.selectors.fees import FeeStatus
from members.selectors.scoping import reads_every_city
from metropolis.api.pagination import ApiPagination
from metropolis.api.viewsets import ApiViewSet, record_id

_CENT = Decimal("0.01")
_MICRO = Decimal("0.000001")

# {lang}: the column suffix of the active language (modeltranslation's
# fields); {detail}: the detail's extra columns; {where}: one member or all;
# {count}: the number of members of the list (NULL for a detail).
#
# The page of members is cut first, from the index on the English name, and
# every figure is then read for the members of the page alone through the
# indexes on member and invoice: no sum over a whole table, and the same work
# at 143 members as at 10,000 (the count of the members aside, as the API's).
_SQL = """
SELECT
    m.id, m.slug,
    COALESCE(NULLIF(m.name_{lang}, ''), NULLIF(m.name_en, ''), ''),
    m.name_en, m.name_es, m.name_fr, m.name_zh_hans, m.country,
    r.id, r.code, COALESCE(NULLIF(r.name_{lang}, ''), NULLIF(r.name_en, ''), ''),
    m.kind, m.status, m.ratified_on, m.withdrawn_on, m.website, m.population, m.population_year,
    h.name, h.title, h.gender,
    i.id, i.amount,
    COALESCE((SELECT SUM(p.amount) FROM members_payment p WHERE p.invoice_id = i.id), 0),
    i.cancelled_on, i.waived_on,
    (
        SELECT COALESCE(SUM(o.amount - o.paid), 0)
        FROM (
            SELECT i2.amount,
                COALESCE((SELECT SUM(p2.amount) FROM members_payment p2 WHERE p2.invoice_id = i2.id), 0) AS paid
            FROM members_invoice i2
            WHERE i2.member_id = m.id AND i2.cancelled_on IS NULL AND i2.waived_on IS NULL
              AND i2.due_on < %(today)s
        ) o
        WHERE o.paid < o.amount
    ),
    {count}
    {detail}
FROM (
    SELECT * FROM members_membercity {where} ORDER BY name_en, id LIMIT %(limit)s OFFSET %(offset)s
) m
LEFT JOIN members_region r ON r.id = m.region_id
LEFT JOIN members_headofgovernment h ON h.id = (
    SELECT h2.id FROM members_headofgovernment h2
    WHERE h2.member_id = m.id AND h2.term_start <= %(today)s AND (h2.term_end IS NULL OR h2.term_end >= %(today)s)
    ORDER BY h2.term_start DESC, h2.id DESC
    LIMIT 1
)
LEFT JOIN members_invoice i ON i.member_id = m.id AND i.year = %(fee_year)s
ORDER BY m.name_en, m.id
"""

_DETAIL_COLUMNS = """,
    m.description_en, m.description_es, m.description_fr, m.description_zh_hans,
    m.fee_category, m.latitude, m.longitude, m.logo, m.created_at, m.updated_at
"""


def _money(value: Any) -> str | None:
    if value is None:
        return None
    return str(Decimal(str(value)).quantize(_CENT))


def _coordinate(value: Any) -> str | None:
    if value is None:
        return None
    return f"{Decimal(str(value)).quantize(_MICRO):f}"


def _day(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_date(value)
    return value.isoformat()


def _moment(value: Any) -> str:
    # As DRF writes a datetime: in the current time zone, "Z" for UTC.
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):  # SQLite: stored in UTC, read without a time zone
        value = timezone.make_aware(value, datetime.UTC)
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _fee_status(amount: Any, paid: Any, cancelled_on: Any, waived_on: Any, invoice_id: Any) -> str:
    if invoice_id is None:
        return FeeStatus.NO_INVOICE
    if cancelled_on is not None:
        return FeeStatus.CANCELLED
    if waived_on is not None:
        return FeeStatus.WAIVED
    if Decimal(str(paid)) >= Decimal(str(amount)):
        return FeeStatus.PAID
    return FeeStatus.UNPAID


def _member(row: tuple, fee_year: int, request: Request, detail: bool) -> dict[str, Any]:
    (
        member_id, slug, name, name_en, name_es, name_fr, name_zh_hans, country,
        region_id, region_code, region_name,
        kind, status, ratified_on, withdrawn_on, website, population, population_year,
        head_name, head_title, head_gender,
        invoice_id, amount, paid, cancelled_on, waived_on, arrears, _count,
    ) = row[:28]  # fmt: skip
    fee_status = _fee_status(amount, paid, cancelled_on, waived_on, invoice_id)
    member = {
        "id": member_id,
        "slug": slug,
        "name": name,
        "name_en": name_en,
        "name_es": name_es,
        "name_fr": name_fr,
        "name_zh_hans": name_zh_hans,
        "country": country,
        "region": None if region_id is None else {"id": region_id, "code": region_code, "name": region_name},
        "kind": kind,
        "status": status,
        "ratified_on": _day(ratified_on),
        "withdrawn_on": _day(withdrawn_on),
        "website": website,
        "population": population,
        "population_year": population_year,
        "head_of_government": None
        if head_name is None
        else {"name": head_name, "title": head_title, "gender": head_gender},
        "fee": {
            "year": fee_year,
            "status": fee_status,
            "paid": fee_status == FeeStatus.PAID,
            "amount": _money(amount),
            "paid_total": _money(paid),
        },
        "arrears": _money(arrears),
    }
    if detail:
        (
            description_en, description_es, description_fr, description_zh_hans,
            fee_category, latitude, longitude, logo, created_at, updated_at,
        ) = row[28:]  # fmt: skip
        member.update(
            {
                "description_en": description_en,
                "description_es": description_es,
                "description_fr": description_fr,
                "description_zh_hans": description_zh_hans,
                "fee_category": fee_category,
                "latitude": _coordinate(latitude),
                "longitude": _coordinate(longitude),
                "logo": request.build_absolute_uri(default_storage.url(logo)) if logo else None,
                "created_at": _moment(created_at),
                "updated_at": _moment(updated_at),
            }
        )
    return member


def _json(data: Any) -> HttpResponse:
    # As DRF's JSONRenderer writes it (compact, UTF-8, not ASCII-escaped).
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return HttpResponse(text.encode(), content_type="application/json")


# Not part of the API: never in its schema.
@extend_schema(exclude=True)
class BaselineMemberViewSet(ApiViewSet):
    # For the schema only: the views below write their JSON by hand.
    serializer_class = MemberCitySerializer
    queryset = MemberCity.objects.none()
    filter_backends: list = []

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not reads_every_city(request.user):
            raise PermissionDenied(
                "The benchmark baseline is for the secretariat and the communications team."
            )

    def _rows(self, *, fee_year: int, member: int | None, limit: int, offset: int, detail: bool):
        lang = translation.get_language() or "en"
        suffix = lang.replace("-", "_") if lang in ("en", "es", "fr", "zh-hans") else "en"
        sql = _SQL.format(
            lang=suffix,
            detail=_DETAIL_COLUMNS if detail else "",
            where="" if member is None else "WHERE id = %(member)s",
            count="NULL" if detail else "(SELECT COUNT(*) FROM members_membercity)",
        )
        params: dict[str, Any] = {
            "today": timezone.localdate(),
            "fee_year": fee_year,
            "member": member,
            "limit": limit,
            "offset": offset,
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _fee_year(self, request: Request) -> int:
        query = FeeYearQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data.get("fee_year") or timezone.localdate().year

    def list(self, request: Request) -> HttpResponse:
        paginator = ApiPagination()
        fee_year = self._fee_year(request)
        size = paginator.get_page_size(request) or paginator.page_size
        page = record_id(request.query_params.get(paginator.page_query_param) or "1")
        rows = self._rows(fee_year=fee_year, member=None, limit=size, offset=(page - 1) * size, detail=False)
        if not rows and page != 1:
            raise Http404
        count = rows[0][27] if rows else 0
        url = request.build_absolute_uri()
        following = replace_query_param(url, "page", page + 1) if page * size < count else None
        if page == 1:
            previous = None
        elif page == 2:
            previous = remove_query_param(url, "page")
        else:
            previous = replace_query_param(url, "page", page - 1)
        results = [_member(row, fee_year, request, detail=False) for row in rows]
        return _json({"count": count, "next": following, "previous": previous, "results": results})

    def retrieve(self, request: Request, pk: str) -> HttpResponse:
        fee_year = self._fee_year(request)
        rows = self._rows(fee_year=fee_year, member=record_id(pk), limit=1, offset=0, detail=True)
        if not rows:
            raise Http404
        return _json(_member(rows[0], fee_year, request, detail=True))
