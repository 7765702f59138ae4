"""The scores and comments of a call as an XLSX workbook, for the secretariat
and the jury's chair: the ranking (one row per submission) and the reviews
(one row per juror and submission, with every score and comment).

Every text cell that a spreadsheet would read as a formula (starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a
leading apostrophe, so that what an applicant or a juror typed is shown, never
run.
"""

from io import BytesIO
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from activities.models import Call, ReviewAssignment, ReviewScore
from activities.selectors.ranking import call_ranking

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell_value(value: Any) -> Any:
    """``value`` as a cell: text that could be read as a formula is escaped."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list[Any]], first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title[:31]
    sheet.append([cell_value(name) for name in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([cell_value(value) for value in row])
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(50, len(str(name)) + 4))
    return sheet


def call_scores_workbook(*, call: Call) -> bytes:
    """The workbook of ``call``'s ranking and reviews (in the active language)."""
    ranking = call_ranking(call=call)
    criteria = ranking.criteria
    yes, no = _("yes"), _("no")
    workbook = Workbook()
    ranking_rows = [
        [
            row.position,
            row.submission.number,
            row.submission.title,
            row.submission.city_name,
            row.submission.country.name if row.submission.country else "",
            str(row.submission.region) if row.submission.region else "",
            row.mean,
            row.spread,
            row.low,
            row.high,
            row.reviewed,
            row.assigned,
            *[row.criterion_means.get(criterion.pk) for criterion in criteria],
            yes if row.submission.is_finalist else no,
            yes if row.submission.is_winner else no,
            row.tie_rule_label,
            str(row.submission.possible_duplicate_of) if row.submission.possible_duplicate_of else "",
        ]
        for row in ranking.rows
    ]
    _sheet(
        workbook,
        _("Ranking"),
        [
            _("Rank"),
            _("Number"),
            _("Title"),
            _("City"),
            _("Country"),
            _("Region"),
            _("Weighted mean (0-100)"),
            _("Spread"),
            _("Lowest review"),
            _("Highest review"),
            _("Reviews given"),
            _("Reviews assigned"),
            *[_("Mean on: %(criterion)s") % {"criterion": criterion.name} for criterion in criteria],
            _("Finalist"),
            _("Winner"),
            _("Tie decided by"),
            _("Possible duplicate of"),
        ],
        ranking_rows,
        first=True,
    )
    assignments = (
        ReviewAssignment.objects.filter(juror__call=call)
        .select_related("juror__user", "submission")
        .prefetch_related(Prefetch("scores", queryset=ReviewScore.objects.select_related("criterion")))
        .order_by("submission__number", "juror__user__full_name", "pk")
    )
    review_rows = []
    for assignment in assignments:
        scores = {score.criterion_id: score for score in assignment.scores.all()}
        cells: list[Any] = []
        for criterion in criteria:
            score = scores.get(criterion.pk)
            cells += [score.score if score else None, score.comment if score else ""]
        review_rows.append(
            [
                assignment.submission.number,
                assignment.submission.title,
                assignment.juror.user.get_full_name(),
                assignment.juror.user.email,
                _("submitted") if assignment.is_submitted else _("not submitted"),
                assignment.submitted_at,
                *cells,
                assignment.comment,
            ]
        )
    criterion_headers: list[str] = []
    for criterion in criteria:
        criterion_headers += [
            _("%(criterion)s (%(low)s-%(high)s)")
            % {"criterion": criterion.name, "low": criterion.min_score, "high": criterion.max_score},
            _("Comment on: %(criterion)s") % {"criterion": criterion.name},
        ]
    _sheet(
        workbook,
        _("Reviews"),
        [
            _("Number"),
            _("Title"),
            _("Juror"),
            _("Juror's e-mail"),
            _("Review"),
            _("Submitted at"),
            *criterion_headers,
            _("Overall comment"),
        ],
        review_rows,
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
