"""The API of event registration (under /api/v1/):

- ``public/events/``: the public events with their programme, speakers and
  places left, for any visitor (no account), as on the public pages;
- ``public/events/{slug}/registrations/``: the public registration endpoint,
  for any visitor, throttled per address (the rate of the public form);
- ``event-sessions/``: the sessions of every event's programme (any account);
- ``registrations/``: the registrations, the secretariat only (personal data),
  with the door's check-in.

Writes call the registration services; their refusals answer 400 by field."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django_countries import countries
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from activities.models import (
    AttendanceMode,
    Event,
    EventSession,
    EventSpeaker,
    RegistrantGender,
    RegistrantRole,
    Registration,
    RegistrationStatus,
)
from activities.public.throttle import RegistrationThrottle
from activities.selectors.registration import (
    event_zone,
    places_by_mode,
    public_events_with_places,
    registration_closes_at,
)
from activities.services.checkin import registration_check_in
from activities.services.registration import Registrant, registration_create
from activities.tokens import registration_token
from members.models import MemberCity, User
from metropolis.api.errors import refusals_as_400
from metropolis.api.filters import IdFilter
from metropolis.api.permissions import SecretariatOnly
from metropolis.api.schema import ApiAutoSchema
from metropolis.api.serializers import ReadOnlyModelSerializer
from metropolis.api.viewsets import ReadOnlyApiViewSet, account

EVENTS_TAG = "Events"


def _slug(value: str) -> str:
    """A slug from an address; 404 for one no event can have (PostgreSQL
    refuses a NUL character in a query)."""
    if "\x00" in value or len(value) > 100:
        raise Http404
    return value


REGISTRATION_TAG = "Event registration"


class EventSessionSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = EventSession
        fields = ["id", "event", "title", "starts_at", "ends_at", "room"]


class SpeakerSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = EventSpeaker
        fields = ["name", "affiliation", "session"]


class PlacesSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=AttendanceMode.choices)
    capacity = serializers.IntegerField(allow_null=True, help_text="Null: no limit.")
    left = serializers.IntegerField(allow_null=True, help_text="Null: no limit.")


class PublicRegistrationStateSerializer(serializers.Serializer):
    open = serializers.BooleanField(help_text="Registration is open now.")
    closes_at = serializers.DateTimeField(allow_null=True)
    requires_approval = serializers.BooleanField()
    by_invitation = serializers.BooleanField(help_text="An invitation code is needed.")
    places = PlacesSerializer(many=True)


class PublicEventSerializer(ReadOnlyModelSerializer):
    sessions = EventSessionSerializer(source="programme", many=True)
    speakers = SpeakerSerializer(many=True)
    country = serializers.CharField(help_text="The host country's code; empty online.")
    registration = serializers.SerializerMethodField(help_text="Null: the event takes no registrations.")

    class Meta:
        model = Event
        fields = [
            "slug",
            "title",
            "summary",
            "kind",
            "format",
            "start_date",
            "end_date",
            "time_zone",
            "city",
            "country",
            "venue",
            "sign_language",
            "live_captions",
            "webcast",
            "step_free_access",
            "sessions",
            "speakers",
            "registration",
        ]

    @extend_schema_field(PublicRegistrationStateSerializer(allow_null=True))
    def get_registration(self, event: Event) -> dict | None:
        event_settings = getattr(event, "registration_settings", None)
        if event_settings is None:
            return None
        closes_at = registration_closes_at(event=event, settings=event_settings)
        return dict(
            PublicRegistrationStateSerializer(
                {
                    "open": event_settings.is_open and (closes_at is None or timezone.now() <= closes_at),
                    "closes_at": timezone.localtime(closes_at, event_zone(event)) if closes_at else None,
                    "requires_approval": event_settings.requires_approval,
                    "by_invitation": bool(event_settings.invitation_code),
                    "places": [
                        {"mode": p.mode, "capacity": p.capacity, "left": p.left}
                        for p in places_by_mode(event=event)
                    ],
                }
            ).data
        )


PUBLIC_EVENT_EXAMPLE = {
    "slug": "2026-world-congress",
    "title": "World Congress",
    "summary": "Three days on the future of metropolitan governance.",
    "kind": "world_congress",
    "format": "hybrid",
    "start_date": "2026-11-24",
    "end_date": "2026-11-26",
    "time_zone": "Asia/Shanghai",
    "city": "Guangzhou",
    "country": "CN",
    "venue": "Baiyun International Convention Center",
    "sign_language": True,
    "live_captions": True,
    "webcast": True,
    "step_free_access": True,
    "sessions": [
        {
            "id": 3,
            "event": 12,
            "title": "Opening plenary",
            "starts_at": "2026-11-24T01:00:00Z",
            "ends_at": "2026-11-24T03:00:00Z",
            "room": "Main hall",
        }
    ],
    "speakers": [{"name": "Lin Wei", "affiliation": "Mayor", "session": 3}],
    "registration": {
        "open": True,
        "closes_at": "2026-11-20T23:59:00+08:00",
        "requires_approval": False,
        "by_invitation": False,
        "places": [
            {"mode": "in_person", "capacity": 800, "left": 112},
            {"mode": "online", "capacity": None, "left": None},
        ],
    },
}


@extend_schema_view(
    list=extend_schema(
        summary="List public events",
        description=(
            "The association's public events, as on the public pages: dates, time zone, venue, format, "
            "sessions, speakers, accessibility services and, for an event that takes registrations, whether "
            "registration is open and the places left per attendance mode. No account needed."
        ),
        examples=[OpenApiExample("A hybrid congress", response_only=True, value=PUBLIC_EVENT_EXAMPLE)],
        tags=[EVENTS_TAG],
    ),
    retrieve=extend_schema(
        summary="One public event",
        description="A public event by its slug. No account needed.",
        tags=[EVENTS_TAG],
    ),
)
class PublicEventViewSet(ReadOnlyApiViewSet):
    serializer_class = PublicEventSerializer
    permission_classes = [AllowAny]
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    filter_backends: list = []
    ordering = ["start_date", "slug"]

    def get_object(self):
        self.kwargs[self.lookup_field] = _slug(self.kwargs[self.lookup_field])
        return super().get_object()

    def get_queryset(self):
        return public_events_with_places().prefetch_related(
            Prefetch("speakers", queryset=EventSpeaker.objects.order_by("position", "name"))
        )


class RegistrationRequestSerializer(serializers.Serializer):
    """What a visitor sends to register (the questions of the registration form)."""

    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(max_length=254)
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="The language of the registrant's e-mails; by default the request's.",
    )
    mode = serializers.ChoiceField(
        choices=AttendanceMode.choices, required=False, help_text="Required for a hybrid event."
    )
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    member_city = serializers.PrimaryKeyRelatedField(
        queryset=MemberCity.objects.all(),
        required=False,
        allow_null=True,
        help_text="The id of a member city.",
    )
    city_name = serializers.CharField(
        max_length=120, required=False, allow_blank=True, help_text="Another city, not a member."
    )
    # A code checked against the list (a choice field of 250 countries would be
    # copied on every request).
    country = serializers.CharField(
        max_length=2, required=False, allow_blank=True, help_text="The country's ISO 3166-1 alpha-2 code."
    )
    role = serializers.ChoiceField(choices=RegistrantRole.choices, required=False, allow_blank=True)
    gender = serializers.ChoiceField(choices=RegistrantGender.choices, required=False, allow_blank=True)
    needs_sign_language = serializers.BooleanField(required=False, default=False)
    sign_language = serializers.CharField(max_length=100, required=False, allow_blank=True)
    needs_captions = serializers.BooleanField(required=False, default=False)
    needs_step_free = serializers.BooleanField(required=False, default=False)
    needs_other = serializers.CharField(max_length=300, required=False, allow_blank=True)
    consent_version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        allow_null=True,
        help_text="The version of the consent text the registrant accepted (the current one). Null: not accepted.",
    )
    listed = serializers.BooleanField(required=False, default=False)
    invitation_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    join_waiting_list = serializers.BooleanField(
        required=False, default=False, help_text="Join the waiting list if the mode is full."
    )

    def validate_country(self, value: str) -> str:
        value = value.upper()
        if value and value not in countries:
            raise serializers.ValidationError("Not a country code (ISO 3166-1 alpha-2).")
        return value


class RegistrationCreatedSerializer(ReadOnlyModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    registration_url = serializers.SerializerMethodField(
        help_text="The registrant's page (also sent by e-mail): cancel, data, certificate."
    )

    class Meta:
        model = Registration
        fields = ["event", "status", "mode", "registration_url"]

    def get_registration_url(self, registration: Registration) -> str:
        request = self.context["request"]
        return request.build_absolute_uri(
            reverse("events:registration", args=[registration_token(registration.pk)])
        )


REGISTRATION_EXAMPLE = {
    "name": "Lin Wei",
    "email": "lin.wei@example.org",
    "language": "zh-hans",
    "mode": "in_person",
    "organisation": "Guangzhou Municipal Government",
    "member_city": 42,
    "role": "member_delegation",
    "gender": "woman",
    "needs_captions": True,
    "consent_version": 1,
    "listed": False,
    "join_waiting_list": True,
}


class PublicRegistrationCreate(generics.GenericAPIView):
    """The public registration endpoint."""

    permission_classes = [AllowAny]
    throttle_classes = [RegistrationThrottle]
    serializer_class = RegistrationRequestSerializer
    schema = ApiAutoSchema()

    @extend_schema(
        summary="Register for a public event",
        description=(
            "Registers a visitor (no account needed) for the public event `slug`: confirmed while the mode "
            "has places (awaiting approval when staff approve registrations), else on the waiting list when "
            "`join_waiting_list` is true. The registrant receives an e-mail in `language`. Refused with 400: "
            "no consent or an outdated consent version, an invalid e-mail address, a second registration "
            "with the same e-mail, registration closed or past its deadline, a wrong invitation code, a full "
            "mode without `join_waiting_list`. Throttled per address (429)."
        ),
        request=RegistrationRequestSerializer,
        responses={201: RegistrationCreatedSerializer},
        examples=[
            OpenApiExample("A delegate of a member city", request_only=True, value=REGISTRATION_EXAMPLE),
            OpenApiExample(
                "Confirmed",
                response_only=True,
                status_codes=["201"],
                value={
                    "event": "2026-world-congress",
                    "status": "confirmed",
                    "mode": "in_person",
                    "registration_url": "https://portal.metropolis.org/events/registration/eyJ.../",
                },
            ),
        ],
        tags=[REGISTRATION_TAG],
    )
    def post(self, request: Request, slug: str) -> Response:
        # The service reads the event with its registration settings: only its id here.
        event = get_object_or_404(Event.objects.filter(is_public=True).only("pk"), slug=_slug(slug))
        serializer = RegistrationRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        invitation_code = data.pop("invitation_code", "")
        join_waiting_list = data.pop("join_waiting_list", False)
        data.setdefault("language", translation.get_language() or "en")
        with refusals_as_400():
            registration = registration_create(
                event=event,
                registrant=Registrant(**data),
                invitation_code=invitation_code,
                join_waiting_list=join_waiting_list,
            )
        return Response(
            RegistrationCreatedSerializer(registration, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(
        summary="List event sessions",
        description="The sessions of the events' programmes, in time order. Filter by `event` (its id).",
        tags=[EVENTS_TAG],
    ),
    retrieve=extend_schema(
        summary="One event session", description="A session of a programme.", tags=[EVENTS_TAG]
    ),
)
class EventSessionViewSet(ReadOnlyApiViewSet):
    serializer_class = EventSessionSerializer
    ordering_fields = ["starts_at", "id"]
    ordering = ["starts_at", "id"]
    queryset = EventSession.objects.all()
    search_fields = ["title_en", "title_es", "title_fr", "title_zh_hans"]

    class Filter(filters.FilterSet):
        event = IdFilter(field_name="event")

        class Meta:
            model = EventSession
            fields = ["event"]

    filterset_class = Filter


class RegistrationSerializer(ReadOnlyModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    member_city = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    country = serializers.CharField(help_text="A country code; may be empty.")
    attended = serializers.BooleanField(help_text="Checked in at the door or present online.")

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "status",
            "mode",
            "name",
            "email",
            "organisation",
            "member_city",
            "city_name",
            "country",
            "role",
            "gender",
            "needs_sign_language",
            "sign_language",
            "needs_captions",
            "needs_step_free",
            "needs_other",
            "consent",
            "consented_at",
            "listed",
            "language",
            "created_at",
            "confirmed_at",
            "cancelled_at",
            "checked_in_at",
            "attended_online_at",
            "online_minutes",
            "attended",
            "anonymised_at",
        ]


class RegistrationFilter(filters.FilterSet):
    event = IdFilter(field_name="event")
    status = filters.ChoiceFilter(choices=RegistrationStatus.choices)
    mode = filters.ChoiceFilter(choices=AttendanceMode.choices)
    checked_in = filters.BooleanFilter(field_name="checked_in_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Registration
        fields = ["event", "status", "mode", "checked_in"]


class CheckInRequestSerializer(serializers.Serializer):
    event = serializers.SlugField(max_length=100, help_text="The event's slug.")
    code = serializers.CharField(max_length=64, help_text="The personal code, as scanned or typed.")


class CheckInSerializer(serializers.Serializer):
    first_time = serializers.BooleanField(help_text="False: the person had been checked in before.")
    checked_in_at = serializers.DateTimeField()
    registration = RegistrationSerializer()


@extend_schema_view(
    list=extend_schema(
        summary="List registrations (secretariat)",
        description=(
            "Registrations for events, with the registrants' answers, consent and attendance. The "
            "secretariat only: they are personal data. Filter by `event`, `status`, `mode`, `checked_in`."
        ),
        tags=[REGISTRATION_TAG],
    ),
    retrieve=extend_schema(
        summary="One registration (secretariat)", description="A registration.", tags=[REGISTRATION_TAG]
    ),
)
class RegistrationViewSet(ReadOnlyApiViewSet):
    serializer_class = RegistrationSerializer
    permission_classes = [SecretariatOnly]
    filterset_class = RegistrationFilter
    search_fields = ["name", "email", "organisation", "code"]
    ordering_fields = ["created_at", "name", "id"]
    ordering = ["event_id", "created_at", "id"]
    queryset = Registration.objects.select_related("event")

    @extend_schema(
        summary="Check a registrant in at the door",
        description=(
            "Checks in the confirmed registrant of `event` with personal `code`. A second check-in of the "
            "same person is not an error: `first_time` is false and `checked_in_at` the first time. Two "
            "doors checking in the same code at once record one check-in. 400: a code of no registration "
            "of the event, or a registration that is not confirmed."
        ),
        request=CheckInRequestSerializer,
        responses={200: CheckInSerializer},
        examples=[
            OpenApiExample(
                "A QR code scanned",
                request_only=True,
                value={"event": "2026-world-congress", "code": "K7QX2MHD9PAT"},
            )
        ],
        filters=False,
        tags=[REGISTRATION_TAG],
    )
    @action(detail=False, methods=["post"], url_path="check-in", filter_backends=[], pagination_class=None)
    def check_in(self, request: Request) -> Response:
        query = CheckInRequestSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        event = get_object_or_404(
            Event.objects.filter(registration_settings__isnull=False), slug=query.validated_data["event"]
        )
        by = account(request)
        with refusals_as_400():
            done = registration_check_in(
                event=event, code=query.validated_data["code"], by=by if isinstance(by, User) else None
            )
        return Response(
            CheckInSerializer(
                {
                    "first_time": done.first_time,
                    "checked_in_at": done.registration.checked_in_at,
                    "registration": done.registration,
                }
            ).data
        )
