"""The first version of the consent text registrants accept, in the portal's
four languages, and the role groups' permissions on the registration records:
the secretariat every permission; communications reads the programme, the
registration settings and the consent texts, never the registrants' personal
data."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONSENT_V1 = {
    "en": (
        "Metropolis, World Association of the Major Metropolises, processes the personal data you give in "
        "this form to manage your registration for the event: to confirm your place, send you the practical "
        "information and the reminder, check you in, prepare the accessibility services you ask for, and "
        "issue your certificate of attendance. Anonymous figures (for example how many women and men "
        "attended, from which cities and countries) are kept for the association's reports. Your personal "
        "data are deleted after the retention period of the event (24 months after it unless stated "
        "otherwise). You can download or erase your data at any time with the link in your confirmation "
        "e-mail."
    ),
    "es": (
        "Metropolis, Asociación Mundial de las Grandes Metrópolis, trata los datos personales que nos da en "
        "este formulario para gestionar su inscripción en el evento: confirmar su plaza, enviarle la "
        "información práctica y el recordatorio, registrar su llegada, preparar los servicios de "
        "accesibilidad que solicite y emitir su certificado de asistencia. Se conservan cifras anónimas (por "
        "ejemplo, cuántas mujeres y hombres asistieron y de qué ciudades y países) para los informes de la "
        "asociación. Sus datos personales se suprimen al terminar el periodo de conservación del evento (24 "
        "meses después del evento, salvo que se indique otro). Puede descargar o suprimir sus datos en "
        "cualquier momento con el enlace de su correo de confirmación."
    ),
    "fr": (
        "Metropolis, Association mondiale des grandes métropoles, traite les données personnelles que vous "
        "donnez dans ce formulaire pour gérer votre inscription à l'événement : confirmer votre place, vous "
        "envoyer les informations pratiques et le rappel, enregistrer votre arrivée, préparer les services "
        "d'accessibilité demandés et établir votre attestation de présence. Des chiffres anonymes (par "
        "exemple combien de femmes et d'hommes ont participé, de quelles villes et de quels pays) sont "
        "conservés pour les rapports de l'association. Vos données personnelles sont supprimées à la fin de "
        "la durée de conservation de l'événement (24 mois après celui-ci sauf mention contraire). Vous pouvez "
        "télécharger ou effacer vos données à tout moment grâce au lien de votre courriel de confirmation."
    ),
    "zh_hans": (
        "世界大都市协会（Metropolis）处理您在本表格中提供的个人数据，用于管理您的活动报名：确认您的名额、"
        "向您发送活动须知和提醒、现场签到、准备您申请的无障碍服务，以及颁发参会证明。协会报告仅保留匿名统计"
        "数字（例如出席的女性和男性人数、来自哪些城市和国家）。您的个人数据将在活动的保存期限届满后删除（除另"
        "有说明外，为活动结束后24个月）。您可随时通过确认邮件中的链接下载或删除您的数据。"
    ),
}

NEW_MODELS = [
    "registrationsettings",
    "eventsession",
    "eventspeaker",
    "consenttext",
    "registration",
    "attendanceimport",
    "onlineattendance",
    "certificatebatch",
    "eventmessage",
]
COMMUNICATIONS_READS = ["registrationsettings", "eventsession", "eventspeaker", "consenttext"]


def first_consent_and_permissions(apps, schema_editor):
    ConsentText = apps.get_model("activities", "ConsentText")
    if not ConsentText.objects.exists():
        ConsentText.objects.create(
            version=1,
            text=CONSENT_V1["en"],
            **{f"text_{language}": text for language, text in CONSENT_V1.items()},
        )
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="activities", content_type__model__in=NEW_MODELS)
    secretariat = Group.objects.filter(name="secretariat").first()
    if secretariat is not None:
        secretariat.permissions.add(*permissions)
    communications = Group.objects.filter(name="communications").first()
    if communications is not None:
        communications.permissions.add(
            *permissions.filter(codename__in=[f"view_{model}" for model in COMMUNICATIONS_READS])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0006_events_registration_attendance_certificates"),
        ("members", "0006_portal_role_groups"),
    ]

    operations = [migrations.RunPython(first_consent_and_permissions, migrations.RunPython.noop)]
