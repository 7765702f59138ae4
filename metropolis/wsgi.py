"""WSGI entry point (gunicorn metropolis.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metropolis.settings.production")

application = get_wsgi_application()
