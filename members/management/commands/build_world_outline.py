"""Convert Natural Earth's 1:110m countries, as the npm package world-atlas
ships them (``countries-110m.json``, TopoJSON), into the compact outline the
public map draws (``members/public/world/countries-110m.json``): each
country's rings as flat lists of longitude and latitude in tenths of a degree.

Run once when the outline is to be refreshed::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python manage.py build_world_outline package/countries-110m.json
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

OUTPUT = Path(__file__).resolve().parents[2] / "public" / "world" / "countries-110m.json"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs of a quantized TopoJSON topology, in longitude and latitude."""
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def compact(points: list[tuple[float, float]]) -> list[int]:
    """Flat [lon, lat, lon, lat, ...] in tenths of a degree, repeated points dropped."""
    flat: list[int] = []
    for lon, lat in points:
        pair = [round(lon * 10), round(lat * 10)]
        if flat[-2:] != pair:
            flat.extend(pair)
    return flat


class Command(BaseCommand):
    help = "Convert world-atlas's countries-110m.json (TopoJSON) into the public map's outline."

    def add_arguments(self, parser):
        parser.add_argument("topojson", type=Path)
        parser.add_argument("--output", type=Path, default=OUTPUT)

    def handle(self, *args, topojson: Path, output: Path, **options):
        topology = json.loads(topojson.read_text())
        arcs = decode_arcs(topology)
        countries = []
        for geometry in topology["objects"]["countries"]["geometries"]:
            if geometry["type"] == "Polygon":
                polygons = [geometry["arcs"]]
            elif geometry["type"] == "MultiPolygon":
                polygons = geometry["arcs"]
            else:
                continue
            rings = [compact(ring(indexes, arcs)) for polygon in polygons for indexes in polygon]
            countries.append({"id": geometry.get("id", ""), "rings": [r for r in rings if len(r) >= 6]})
        document = {
            "source": "Natural Earth 1:110m Cultural Vectors, Admin 0 – Countries (public domain), "
            "through the npm package world-atlas 2.0.2 (ISC licence, © Michael Bostock).",
            "units": "tenths of a degree: [longitude, latitude, longitude, latitude, ...] per ring",
            "countries": countries,
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(document, separators=(",", ":")) + "\n")
        points = sum(len(r) // 2 for c in countries for r in c["rings"])
        self.stdout.write(
            f"{len(countries)} countries, {points} points → {output} ({output.stat().st_size} bytes)"
        )
