"""Attendance of an event that takes registrations: a video platform's
attendance report (CSV) matched to the registrations, previewed and applied all
or nothing; and the member cities' participations derived from who attended.

An event with registrations derives its :class:`Participation` rows (which the
member profile tables count: table B's Board and Congress columns) from the
attendees whose city is a member. Rows typed by staff stay as they are; the
derived ones (``from_registrations``) follow the attendance."""

import csv
import datetime
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities.models import (
    AttendanceImport,
    AttendanceImportStatus,
    Event,
    OnlineAttendance,
    Participation,
    ParticipationRole,
    RegistrantRole,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
)
from activities.selectors.attendance import attendees_of
from activities.selectors.registration import event_zone
from members.models import User

logger = logging.getLogger(__name__)

# The column names the video platforms use (Zoom, Teams, Webex and plain
# exports), compared without case, spaces around or a bracketed remark.
COLUMNS = {
    "email": {"email", "e-mail", "user email", "attendee email", "email address", "e-mail address", "correo"},
    "name": {"name", "full name", "user name", "attendee name", "display name", "participant", "nombre"},
    "joined": {"join time", "joined", "joined at", "join", "first join", "join date", "entrada"},
    "left": {"leave time", "left", "left at", "leave", "last leave", "leave date", "salida"},
}
TIME_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y, %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
)
# Errors listed before the import says "and N more".
MAX_ERRORS_SHOWN = 20
MAX_ROWS = 20_000


def _column_key(header: str) -> str | None:
    name = header.strip().strip("\ufeff").casefold()
    if "(" in name:
        name = name.split("(", 1)[0].strip()
    for key, names in COLUMNS.items():
        if name in names:
            return key
    return None


def _parse_time(value: str, zone: datetime.tzinfo) -> datetime.datetime | None:
    value = value.strip()
    if not value:
        return None
    moment: datetime.datetime | None = None
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        for pattern in TIME_FORMATS:
            try:
                moment = datetime.datetime.strptime(value, pattern)  # noqa: DTZ007 - zone added below
                break
            except ValueError:
                continue
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=zone)
    return moment


@dataclass(frozen=True)
class ParsedRow:
    line: int
    email: str
    name: str
    joined: datetime.datetime
    left: datetime.datetime


def parse_attendance_csv(*, content: bytes | str, event: Event) -> list[ParsedRow]:
    """The rows of a platform's attendance report. Times without an offset are
    in the event's time zone. Refused whole (a ``ValidationError`` listing the
    lines): a file without e-mail, join or leave column, or any row without a
    valid e-mail address or with a time that cannot be read."""
    if isinstance(content, bytes):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("latin-1")
    else:
        text = content
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header_row: list[str] | None = None
    # Some platforms put a summary above the table: the table starts at the
    # first line that names an e-mail column.
    for row in reader:
        if any(_column_key(cell) == "email" for cell in row):
            header_row = row
            break
    if header_row is None:
        raise ValidationError(_("The file has no e-mail column (such as “Email” or “User Email”)."))
    columns: dict[str, int] = {}
    for index, cell in enumerate(header_row):
        key = _column_key(cell)
        if key and key not in columns:
            columns[key] = index
    missing = [
        label for key, label in (("joined", _("join time")), ("left", _("leave time"))) if key not in columns
    ]
    if missing:
        raise ValidationError(_("The file has no column for: %(columns)s.") % {"columns": ", ".join(missing)})
    zone = event_zone(event)
    rows: list[ParsedRow] = []
    errors: list[str] = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationError(_("The file has more than %(count)s rows.") % {"count": MAX_ROWS})

        def value_of(key: str, row: list[str] = row) -> str:
            index = columns.get(key)
            return row[index].strip() if index is not None and index < len(row) else ""

        email = value_of("email").lower()
        joined = _parse_time(value_of("joined"), zone)
        left = _parse_time(value_of("left"), zone)
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("Line %(line)s: “%(value)s” is not an e-mail address.") % {"line": line, "value": email}
            )
            continue
        if joined is None or left is None:
            errors.append(_("Line %(line)s: the join or leave time cannot be read.") % {"line": line})
            continue
        if left < joined:
            errors.append(_("Line %(line)s: the leave time is before the join time.") % {"line": line})
            continue
        rows.append(ParsedRow(line=line, email=email, name=value_of("name"), joined=joined, left=left))
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            extra = len(errors) - MAX_ERRORS_SHOWN
            shown.append(
                ngettext("and %(count)s more line.", "and %(count)s more lines.", extra) % {"count": extra}
            )
        raise ValidationError(shown)
    if not rows:
        raise ValidationError(_("The file has no attendance rows."))
    return rows


@transaction.atomic
def attendance_import_preview(
    *, event: Event, content: bytes | str, file_name: str, by: User | None
) -> AttendanceImport:
    """Read a platform's attendance report and match each row to a confirmed
    registration of ``event`` by e-mail address. Nothing is applied yet: the
    import waits, with its matches and the rows that match no registration, for
    staff to apply it or discard it."""
    if not RegistrationSettings.objects.filter(pk=event.pk).exists():
        raise ValidationError(
            _("This event takes no registrations: there is nothing to match attendance to.")
        )
    parsed = parse_attendance_csv(content=content, event=event)
    registrations = dict(
        Registration.objects.filter(
            event=event, status=RegistrationStatus.CONFIRMED, anonymised_at__isnull=True
        ).values_list("email", "pk")
    )
    rows, unmatched = [], []
    for row in parsed:
        registration_id = registrations.get(row.email)
        rows.append(
            {
                "line": row.line,
                "email": row.email,
                "name": row.name,
                "joined": row.joined.isoformat(),
                "left": row.left.isoformat(),
                "registration": registration_id,
            }
        )
        if registration_id is None:
            unmatched.append({"line": row.line, "email": row.email, "name": row.name})
    attendance_import = AttendanceImport(
        event=event,
        file_name=file_name[:255],
        uploaded_by=by,
        rows=rows,
        row_count=len(rows),
        matched_count=len(rows) - len(unmatched),
        unmatched=unmatched,
    )
    attendance_import.full_clean()
    attendance_import.save()
    return attendance_import


def _merged_minutes(stays: Iterable[tuple[datetime.datetime, datetime.datetime]]) -> int:
    """Minutes online, overlapping stays counted once (two devices, a reconnection)."""
    total = datetime.timedelta()
    current: tuple[datetime.datetime, datetime.datetime] | None = None
    for joined, left in sorted(stays):
        if current is None or joined > current[1]:
            if current is not None:
                total += current[1] - current[0]
            current = (joined, left)
        else:
            current = (current[0], max(current[1], left))
    if current is not None:
        total += current[1] - current[0]
    return int(total.total_seconds() // 60)


@transaction.atomic
def attendance_import_apply(*, attendance_import: AttendanceImport) -> AttendanceImport:
    """Apply a previewed import, all of its matched rows or none: each becomes a
    stay online of its registration (a stay already recorded is not added
    twice), the registrations' online attendance is recomputed, and the
    event's member participations follow. Refused when the import was applied
    or discarded already, or when a matched registration is no longer confirmed."""
    attendance_import = AttendanceImport.objects.select_for_update().get(pk=attendance_import.pk)
    if attendance_import.status != AttendanceImportStatus.PREVIEW:
        raise ValidationError(
            _("This import is %(status)s already.")
            % {"status": attendance_import.get_status_display().lower()}
        )
    matched = [row for row in attendance_import.rows if row["registration"]]
    ids = {row["registration"] for row in matched}
    still = set(
        Registration.objects.filter(
            pk__in=ids, status=RegistrationStatus.CONFIRMED, anonymised_at__isnull=True
        ).values_list("pk", flat=True)
    )
    gone = sorted({row["email"] for row in matched if row["registration"] not in still})
    if gone:
        raise ValidationError(
            _("These registrations changed since the preview; upload the file again: %(emails)s.")
            % {"emails": ", ".join(gone)}
        )
    OnlineAttendance.objects.bulk_create(
        [
            OnlineAttendance(
                registration_id=row["registration"],
                attendance_import=attendance_import,
                joined_at=datetime.datetime.fromisoformat(row["joined"]),
                left_at=datetime.datetime.fromisoformat(row["left"]),
            )
            for row in matched
        ],
        ignore_conflicts=True,
    )
    _recompute_online(ids)
    attendance_import.status = AttendanceImportStatus.APPLIED
    attendance_import.applied_at = timezone.now()
    attendance_import.rows = []
    attendance_import.save(update_fields=["status", "applied_at", "rows"])
    participations_derive(event_id=attendance_import.event_id)
    return attendance_import


def _recompute_online(registration_ids: set[int]) -> None:
    stays: dict[int, list[tuple[datetime.datetime, datetime.datetime]]] = {}
    for registration_id, joined, left in OnlineAttendance.objects.filter(
        registration_id__in=registration_ids
    ).values_list("registration_id", "joined_at", "left_at"):
        stays.setdefault(registration_id, []).append((joined, left))
    rows = list(Registration.objects.filter(pk__in=registration_ids))
    for registration in rows:
        mine = stays.get(registration.pk, [])
        registration.attended_online_at = min((joined for joined, _left in mine), default=None)
        registration.online_minutes = _merged_minutes(mine)
    Registration.objects.bulk_update(rows, ["attended_online_at", "online_minutes"])


@transaction.atomic
def attendance_import_discard(*, attendance_import: AttendanceImport) -> AttendanceImport:
    attendance_import = AttendanceImport.objects.select_for_update().get(pk=attendance_import.pk)
    if attendance_import.status != AttendanceImportStatus.PREVIEW:
        raise ValidationError(
            _("This import is %(status)s already.")
            % {"status": attendance_import.get_status_display().lower()}
        )
    attendance_import.status = AttendanceImportStatus.DISCARDED
    attendance_import.rows = []
    attendance_import.unmatched = []
    attendance_import.save(update_fields=["status", "rows", "unmatched"])
    return attendance_import


@transaction.atomic
def participations_derive(*, event_id: int) -> None:
    """Make the member participations of an event that takes registrations the
    member cities of its attendees: a city with a speaker among them takes
    part as a speaker, the others as participants. Participations typed by
    staff are kept (an organiser stays an organiser). Does nothing for an event
    without registrations, whose participations are typed. Safe to run again."""
    settings = (
        RegistrationSettings.objects.select_for_update().select_related("event").filter(pk=event_id).first()
    )
    if settings is None:
        return
    roles: dict[int, str] = {}
    for member_id, role in (
        attendees_of(Registration.objects.filter(event_id=event_id))
        .filter(member_city__isnull=False)
        .values_list("member_city_id", "role")
    ):
        if role == RegistrantRole.SPEAKER:
            roles[member_id] = ParticipationRole.SPEAKER
        else:
            roles.setdefault(member_id, ParticipationRole.PARTICIPANT)
    existing = list(Participation.objects.filter(event_id=event_id).select_related("member"))
    typed = {row.member_id for row in existing if not row.from_registrations}
    derived = {row.member_id: row for row in existing if row.from_registrations}
    stale = [row.pk for member_id, row in derived.items() if member_id not in roles]
    if stale:
        Participation.objects.filter(pk__in=stale).delete()
    for member_id, role in roles.items():
        if member_id in typed:
            continue
        row = derived.get(member_id)
        if row is not None:
            if row.role != role:
                row.role = role
                row.save(update_fields=["role"])
            continue
        row = Participation(event=settings.event, member_id=member_id, role=role, from_registrations=True)
        try:
            row.full_clean()
        except ValidationError as error:
            # A member that withdrew before the event cannot take part in it:
            # its delegates attended, yet the city is not counted as a member.
            logger.info("Participation of member %s in event %s not derived: %s", member_id, event_id, error)
            continue
        row.save()
