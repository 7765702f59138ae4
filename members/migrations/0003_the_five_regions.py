"""The association's five regions, with their names in the portal's languages."""

from django.db import migrations

REGIONS = [
    ("africa", 1, "Africa", "África", "Afrique", "非洲"),
    ("asia-pacific", 2, "Asia-Pacific", "Asia-Pacífico", "Asie-Pacifique", "亚太"),
    ("europe", 3, "Europe", "Europa", "Europe", "欧洲"),
    ("latin-america-caribbean", 4, "Latin America and the Caribbean", "América Latina y el Caribe",
     "Amérique latine et Caraïbes", "拉丁美洲和加勒比"),
    ("north-america", 5, "North America", "América del Norte", "Amérique du Nord", "北美"),
]


def create_regions(apps, schema_editor):
    Region = apps.get_model("members", "Region")
    for code, position, en, es, fr, zh in REGIONS:
        Region.objects.update_or_create(
            code=code,
            defaults={"position": position, "name": en, "name_en": en, "name_es": es, "name_fr": fr,
                      "name_zh_hans": zh},
        )


def remove_regions(apps, schema_editor):
    apps.get_model("members", "Region").objects.filter(code__in=[r[0] for r in REGIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0002_member_cities_fees_partners")]
    operations = [migrations.RunPython(create_regions, remove_regions)]
