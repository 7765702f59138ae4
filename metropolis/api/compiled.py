"""Querysets compiled once, run many times.

Some selectors define their figures as nested annotations (``member_list``:
the current head of government, the fee of a year, the arrears). Building such
a queryset and compiling it to SQL costs tens of milliseconds of Python on
every request, several times what the database takes to run it. A
:class:`CompiledQuery` keeps the SQL the ORM wrote for a queryset, and the
converters Django applies to its rows, so that the next request with the same
key runs that SQL again (with its own LIMIT and OFFSET) without building or
compiling anything. Only SQL is kept, never rows: every request reads the
database, and the figures keep their one definition in the selector.

The key names everything the queryset depends on (the account's scope, the
day, the language, the request's parameters). The queryset's SQL must not
depend on rows: a filter that looks a record up and compiles its id (django-
filter's ModelChoiceFilter) would keep that id after the record changed; filter
on the record's columns instead (``region__code``). The cache is per thread (a
compiler belongs to its thread's database connection) and bounded.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from operator import itemgetter
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

MAX_QUERIES_PER_THREAD = 256
_TOTAL = "api_total_rows"

_local = threading.local()


def _total_rows(queryset: QuerySet) -> Coalesce:
    """The number of rows of ``queryset``, as a subquery that does not depend
    on the outer row (the database runs it once per query).

    Not a window count (``COUNT(*) OVER ()``): a window needs every row of the
    query, with all of its columns, before the first page can be cut, so the
    database read and sorted the whole table on every page (3 ms at 143
    members, 14 ms at 10,000). The subquery counts the rows alone, and the page
    comes from the ordering's index."""
    rows = (
        queryset.order_by()
        .annotate(api_all_rows=Value(1, output_field=IntegerField()))
        .values("api_all_rows")
        .annotate(api_count=Count("pk"))
        .values("api_count")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0), output_field=IntegerField())


class CompiledQuery:
    """``queryset``'s rows as tuples of ``fields`` and, when ``counted``, the
    total number of rows of the query (in every row, so that a page needs one
    query)."""

    def __init__(self, queryset: QuerySet, fields: Sequence[str], *, counted: bool = True):
        self.alias = queryset.db
        self.counted = counted
        if counted:
            queryset = queryset.annotate(**{_TOTAL: _total_rows(queryset)})
            fields = (*fields, _TOTAL)
        rows = queryset.values_list(*fields)
        try:
            compiler = rows.query.get_compiler(using=self.alias)
            self.sql: str | None
            self.params: tuple | list | None
            self.sql, self.params = compiler.as_sql()
        except EmptyResultSet:
            # A queryset that cannot match anything (none(), an empty scope).
            self.sql, self.params = None, ()
            return
        self.compiler = compiler
        database = connections[self.alias]
        if database.vendor == "postgresql":
            # psycopg binds the parameters on the client (Django's default): bind
            # them once, rather than parse the long SQL for placeholders each time.
            self.sql, self.params = database.ops.compose_sql(self.sql, self.params), None  # type: ignore[attr-defined]
        self.converters = compiler.get_converters(
            [column[0] for column in compiler.select[: compiler.col_count]]
        )
        # The SQL's columns come in the compiler's order; give them in the order asked
        # (as QuerySet.values_list() does).
        position = {alias: index for index, (_expression, _sql, alias) in enumerate(compiler.select)}
        indexes = [position[name] for name in fields]
        self.reorder = itemgetter(*indexes) if len(indexes) > 1 else lambda row: (row[indexes[0]],)

    def fetch(self, *, limit: int | None = None, offset: int = 0) -> tuple[list[tuple], int | None]:
        """The rows from ``offset`` (at most ``limit``), and the number of rows
        of the whole query (None when the page is empty, and without ``counted``)."""
        if self.sql is None:
            return [], 0
        sql, params = self.sql, self.params
        if limit is not None:
            if params is None:
                sql = f"{sql} LIMIT {int(limit)} OFFSET {int(offset)}"
            else:
                sql, params = f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset]
        with connections[self.alias].cursor() as cursor:
            cursor.execute(sql, params)
            rows: list[Any] = cursor.fetchall()
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        rows = [self.reorder(row) for row in rows]
        if not self.counted:
            return rows, None
        total = int(rows[0][-1]) if rows else None
        return [row[:-1] for row in rows], total


def compiled_query(
    key: Hashable, build: Callable[[], QuerySet], fields: Sequence[str], *, counted: bool = True
) -> CompiledQuery:
    """The compiled query of ``key``; ``build()`` makes its queryset the first
    time (and may raise, for instance a 400 for an invalid filter: nothing is
    kept then)."""
    cache: OrderedDict[Hashable, CompiledQuery] | None = getattr(_local, "queries", None)
    if cache is None:
        cache = _local.queries = OrderedDict()
    query = cache.get(key)
    if query is not None:
        cache.move_to_end(key)
        return query
    query = CompiledQuery(build(), fields, counted=counted)
    cache[key] = query
    if len(cache) > MAX_QUERIES_PER_THREAD:
        cache.popitem(last=False)
    return query
