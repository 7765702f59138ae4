"""The 17 Sustainable Development Goals with their official short names in the
portal's languages (English, Spanish, French, Simplified Chinese)."""

from django.db import migrations

# (number, English, Spanish, French, Simplified Chinese), as the United Nations word them.
GOALS = [
    (1, "No Poverty", "Fin de la pobreza", "Pas de pauvreté", "无贫穷"),
    (2, "Zero Hunger", "Hambre cero", "Faim « zéro »", "零饥饿"),
    (3, "Good Health and Well-being", "Salud y bienestar", "Bonne santé et bien-être", "良好健康与福祉"),
    (4, "Quality Education", "Educación de calidad", "Éducation de qualité", "优质教育"),
    (5, "Gender Equality", "Igualdad de género", "Égalité entre les sexes", "性别平等"),
    (6, "Clean Water and Sanitation", "Agua limpia y saneamiento", "Eau propre et assainissement", "清洁饮水和卫生设施"),
    (7, "Affordable and Clean Energy", "Energía asequible y no contaminante", "Énergie propre et d'un coût abordable", "经济适用的清洁能源"),
    (8, "Decent Work and Economic Growth", "Trabajo decente y crecimiento económico", "Travail décent et croissance économique", "体面工作和经济增长"),
    (9, "Industry, Innovation and Infrastructure", "Industria, innovación e infraestructura", "Industrie, innovation et infrastructure", "产业、创新和基础设施"),
    (10, "Reduced Inequalities", "Reducción de las desigualdades", "Inégalités réduites", "减少不平等"),
    (11, "Sustainable Cities and Communities", "Ciudades y comunidades sostenibles", "Villes et communautés durables", "可持续城市和社区"),
    (12, "Responsible Consumption and Production", "Producción y consumo responsables", "Consommation et production responsables", "负责任消费和生产"),
    (13, "Climate Action", "Acción por el clima", "Mesures relatives à la lutte contre les changements climatiques", "气候行动"),
    (14, "Life Below Water", "Vida submarina", "Vie aquatique", "水下生物"),
    (15, "Life on Land", "Vida de ecosistemas terrestres", "Vie terrestre", "陆地生物"),
    (16, "Peace, Justice and Strong Institutions", "Paz, justicia e instituciones sólidas", "Paix, justice et institutions efficaces", "和平、正义与强大机构"),
    (17, "Partnerships for the Goals", "Alianzas para lograr los objetivos", "Partenariats pour la réalisation des objectifs", "促进目标实现的伙伴关系"),
]


def create_goals(apps, schema_editor):
    SdgGoal = apps.get_model("activities", "SdgGoal")
    for number, en, es, fr, zh in GOALS:
        SdgGoal.objects.update_or_create(
            number=number,
            defaults={"name": en, "name_en": en, "name_es": es, "name_fr": fr, "name_zh_hans": zh},
        )


def remove_goals(apps, schema_editor):
    apps.get_model("activities", "SdgGoal").objects.filter(number__in=[goal[0] for goal in GOALS]).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_events_projects_learning_publications_plans")]
    operations = [migrations.RunPython(create_goals, remove_goals)]
