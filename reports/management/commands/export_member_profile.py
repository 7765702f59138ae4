"""Write a member profile table of the annual report (table A or B) as CSV, one
row per member, for the communications team to hand to designers."""

import csv
import io

from django.core.management.base import BaseCommand, CommandError

from activities.selectors.engagement import (
    MemberEngagement,
    member_engagement,
    member_name_in,
    member_profile_rows,
)
from metropolis.spreadsheets import escape_row

LANGUAGES = ("zh-hans", "en", "es", "fr")

# The words the printed tables use for "yes": the Chinese edition prints 是.
YES = {"zh-hans": "是", "en": "yes", "es": "sí", "fr": "oui"}

# Column headers per language. The Chinese ones are the printed headers of the
# Chinese edition, so that its table comes out cell for cell; the others are
# the portal's translations. They live here rather than in the message
# catalogue because they are the source's own wording, not interface text.
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "a": {
        "zh-hans": (
            "会员城市",
            "在世界大都市协会网站上发布的信息",
            "世界大都市协会网站收录出版物（会员城市提供）",
            "世界大都市协会出版物中提到的会员城市次数（可在网站上找到）",
            "本年在“城市可持续发展交流平台”上发布的案例",
            "上传到“全球健康城市”平台的倡议",
        ),
        "en": (
            "Member city",
            "News items published on the Metropolis website",
            "Publications on the Metropolis website (provided by the member)",
            "Mentions of the member in Metropolis publications (available on the website)",
            "Cases published this year on the Urban Sustainability Exchange",
            "Initiatives uploaded to Cities for Global Health",
        ),
        "es": (
            "Ciudad miembro",
            "Noticias publicadas en el sitio web de Metropolis",
            "Publicaciones en el sitio web de Metropolis (aportadas por el miembro)",
            "Menciones del miembro en publicaciones de Metropolis (disponibles en el sitio web)",
            "Casos publicados este año en Urban Sustainability Exchange",
            "Iniciativas subidas a Cities for Global Health",
        ),
        "fr": (
            "Ville membre",
            "Actualités publiées sur le site web de Metropolis",
            "Publications sur le site web de Metropolis (fournies par le membre)",
            "Mentions du membre dans les publications de Metropolis (disponibles sur le site web)",
            "Cas publiés cette année sur Urban Sustainability Exchange",
            "Initiatives déposées sur Cities for Global Health",
        ),
    },
    "b": {
        "zh-hans": (
            "会员城市",
            "是否为会员城市",
            "是否缴纳{year}年会费",
            "是否参加董事会会议",
            "是否出席世界大都市协会年会/世界大会",
            "出席双边会议次数",
            "试点项目 领导者 (L) 合作伙伴 (P)",
            "是否经世界大都市协会指标系统分析",
            "参与能力建设活动的次数",
            "是否为“世界大都市日活动”组织者",
        ),
        "en": (
            "Member city",
            "Active member",
            "{year} fee paid",
            "Attended the Board meeting",
            "Attended the Metropolis Annual Meeting / World Congress",
            "Bilateral meetings attended",
            "Pilot projects: leader (L), partner (P)",
            "Analysed by the Metropolis indicators",
            "Capacity-building activities attended",
            "World Metropolitan Day event organiser",
        ),
        "es": (
            "Ciudad miembro",
            "Miembro activo",
            "Cuota {year} pagada",
            "Asistió a la reunión del Consejo de Dirección",
            "Asistió a la Reunión Anual / Congreso Mundial de Metropolis",
            "Reuniones bilaterales",
            "Proyectos piloto: líder (L), socio (P)",
            "Analizado por los indicadores de Metropolis",
            "Actividades de fortalecimiento de capacidades",
            "Organizador de un evento del Día Mundial de las Metrópolis",
        ),
        "fr": (
            "Ville membre",
            "Membre actif",
            "Cotisation {year} payée",
            "A participé à la réunion du Conseil d'administration",
            "A participé à la Réunion annuelle / au Congrès mondial de Metropolis",
            "Réunions bilatérales",
            "Projets pilotes : chef de file (L), partenaire (P)",
            "Analysé par les indicateurs de Metropolis",
            "Activités de renforcement des capacités",
            "Organisateur d'un événement de la Journée mondiale des métropoles",
        ),
    },
}


def _count(value: int) -> str:
    """Counts print as numbers, zero as an empty cell."""
    return str(value) if value else ""


def table_a_cells(row: MemberEngagement, lang: str) -> list[str]:
    return [
        _count(row.news_items),
        _count(row.website_publications),
        _count(row.publication_mentions),
        _count(row.usx_cases),
        _count(row.cgh_initiatives),
    ]


def table_b_cells(row: MemberEngagement, lang: str) -> list[str]:
    def yes(value: bool) -> str:
        return YES[lang] if value else ""

    return [
        yes(row.active_member),
        yes(row.fee_paid),
        yes(row.board_meeting_attended),
        yes(row.annual_meeting_attended),
        _count(row.bilateral_meetings),
        row.pilot_project_role,
        yes(row.analysed_by_indicators),
        # The printed table marks "no activity" with a dash, not an empty cell.
        str(row.capacity_building_participations) if row.capacity_building_participations else "-",
        yes(row.world_metropolitan_day_organiser),
    ]


CELLS = {"a": table_a_cells, "b": table_b_cells}


class Command(BaseCommand):
    help = "Write the member profile table A or B of a year as CSV to standard output."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--table", choices=("a", "b"), type=str.lower, required=True)
        parser.add_argument("--lang", choices=LANGUAGES, default="zh-hans")

    def handle(self, *args, year: int, table: str, lang: str, **options):
        rows = member_engagement(year=year)
        if not rows:
            raise CommandError(f"There are no member cities in {year}.")
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header.format(year=year) for header in HEADERS[table][lang])
        # The order of the printed tables, the same as the annual report's.
        for row in member_profile_rows(year=year, table=table, language=lang, engagement=rows):
            writer.writerow(
                escape_row([member_name_in(member=row.member, language=lang), *CELLS[table](row, lang)])
            )
        self.stdout.write(buffer.getvalue(), ending="")
