"""Pagination of every API list: 50 rows a page by default, up to 500 with
``page_size``."""

from django.core.paginator import Page
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from .compiled import CompiledQuery

# Beyond this, an offset is not a page of any list (and too large for SQLite).
_LARGEST_OFFSET = 2**62


class ApiPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_compiled(self, query: CompiledQuery, request: Request) -> list[tuple]:
        """A page of a compiled query's rows, with the same page numbers, links
        and 404 for a page out of range as ``paginate_queryset`` (one query:
        the rows carry the total)."""
        size = self.get_page_size(request) or self.page_size
        number = request.query_params.get(self.page_query_param) or 1
        if number in self.last_page_strings:
            _first, total = query.fetch(limit=1)
            number = max(1, -(-(total or 0) // size))
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise NotFound(self.invalid_page_message) from None
        if number < 1 or (number - 1) * size > _LARGEST_OFFSET:
            raise NotFound(self.invalid_page_message)
        rows, total = query.fetch(limit=size, offset=(number - 1) * size)
        if total is None:
            if number > 1:
                raise NotFound(self.invalid_page_message)
            total = 0
        paginator = self.django_paginator_class(range(total), size)
        self.page = Page(rows, number, paginator)
        self.request = request
        return rows
