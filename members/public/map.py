"""The members' map, drawn on the server as SVG: the world's countries (Natural
Earth 1:110m, shipped in ``world/``) in the Equal Earth projection, and a point
per member at its stored coordinates, each a link to the member's page.

No tile server is involved. The drawing scales with its ``viewBox`` (readable
at phone width); names are in the page's language, as links' titles and,
when few members are shown, as labels."""

import json
import math
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

WORLD = Path(__file__).resolve().parent / "world" / "countries-110m.json"
WIDTH = 1000.0
# The map stops short of Antarctica, where no member is.
SOUTH, NORTH = -57.0, 84.0
ANTARCTICA = "010"
# Names are written next to the points only when there are few of them.
LABEL_AT_MOST = 15

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
# The Equal Earth projection's x at longitude 180 on the equator.
_X_MAX = math.pi / (_M * _A1)


def equal_earth(longitude: float, latitude: float) -> tuple[float, float]:
    """Equal Earth (Šavrič, Patterson, Jenny 2018), in units of the earth's radius."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


_SCALE = WIDTH / (2 * _X_MAX)
_TOP = equal_earth(0, NORTH)[1]
_BOTTOM = equal_earth(0, SOUTH)[1]
HEIGHT = round((_TOP - _BOTTOM) * _SCALE, 1)


def to_svg(longitude: float, latitude: float) -> tuple[float, float]:
    """A place on the map's drawing (0..WIDTH across, 0..HEIGHT down)."""
    x, y = equal_earth(longitude, latitude)
    return round(WIDTH / 2 + x * _SCALE, 1), round((_TOP - y) * _SCALE, 1)


@cache
def world_outline() -> str:
    """The SVG path of every country but Antarctica (computed once per process)."""
    document = json.loads(WORLD.read_text())
    parts: list[str] = []
    for country in document["countries"]:
        if country["id"] == ANTARCTICA:
            continue
        for ring in country["rings"]:
            points = [to_svg(ring[i] / 10, ring[i + 1] / 10) for i in range(0, len(ring), 2)]
            parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z")
    return "".join(parts)


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    name: str
    url: str
    label_left: bool


@dataclass(frozen=True)
class MembersMap:
    """The drawing: the part of the world shown (``x``, ``y``, ``width``,
    ``height`` of the view box: all of it, or the part around the points), and
    the sizes of the points and labels at that zoom."""

    x: float
    y: float
    width: float
    height: float
    outline: str
    points: list[MapPoint]
    labelled: bool

    @property
    def view_box(self) -> str:
        return f"{self.x:g} {self.y:g} {self.width:g} {self.height:g}"

    @property
    def zoom(self) -> float:
        return self.width / WIDTH

    # Sizes in shares of the width shown: the drawing scales to the screen's
    # width, so a point and a name are as readable zoomed in as on the world.
    @property
    def dot_radius(self) -> float:
        return round(0.007 * self.width, 2)

    @property
    def hit_radius(self) -> float:
        return round(0.018 * self.width, 2)

    @property
    def font_size(self) -> float:
        return round(0.028 * self.width, 2)

    @property
    def label_gap(self) -> float:
        return round(0.012 * self.width, 2)


# Zoomed in, the map still shows at least this share of the world's width.
MIN_ZOOM = 0.22
MARGIN = 0.15


def _frame(points: list[MapPoint]) -> tuple[float, float, float, float]:
    """The view box around ``points`` (with a margin, at least MIN_ZOOM of the
    world, the whole map's proportions), inside the map."""
    if not points:
        return 0.0, 0.0, WIDTH, HEIGHT
    left, right = min(p.x for p in points), max(p.x for p in points)
    top, bottom = min(p.y for p in points), max(p.y for p in points)
    ratio = HEIGHT / WIDTH
    width = max(
        (right - left) * (1 + 2 * MARGIN), (bottom - top) * (1 + 2 * MARGIN) / ratio, WIDTH * MIN_ZOOM
    )
    width = min(width, WIDTH)
    height = width * ratio
    x = min(max((left + right) / 2 - width / 2, 0.0), WIDTH - width)
    y = min(max((top + bottom) / 2 - height / 2, 0.0), HEIGHT - height)
    return round(x, 1), round(y, 1), round(width, 1), round(height, 1)


def members_map(
    places: list[tuple[str, Decimal | float, Decimal | float, str]], *, zoom: bool = False
) -> MembersMap:
    """The map of ``places`` (name, latitude, longitude, link); with ``zoom``,
    only the part of the world around them."""
    points = []
    for name, latitude, longitude, url in places:
        x, y = to_svg(float(longitude), float(latitude))
        points.append(MapPoint(x=x, y=y, name=name, url=url, label_left=False))
    x, y, width, height = _frame(points) if zoom else (0.0, 0.0, WIDTH, HEIGHT)
    # A label at the right edge of the view is written to the left of its point.
    points = [MapPoint(p.x, p.y, p.name, p.url, label_left=p.x > x + width * 0.75) for p in points]
    return MembersMap(
        x=x,
        y=y,
        width=width,
        height=height,
        outline=world_outline(),
        points=points,
        labelled=len(points) <= LABEL_AT_MOST,
    )
