FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=metropolis.settings.production
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-noto-cjk fonts-dejavu-core poppler-utils gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py compilemessages --verbosity 0 \
    && SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput --verbosity 0
RUN useradd --create-home portal && mkdir -p /app/media /app/private \
    && chown -R portal /app/media /app/private /app/staticfiles
USER portal
EXPOSE 8000
# Behind the HTTPS front (Caddyfile); docker-compose.yml starts the whole stack.
CMD ["gunicorn", "metropolis.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
