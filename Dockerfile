# Production image of the NTM Portal: gunicorn for the web, the same image for Celery.
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# collectstatic needs settings that import in production mode; these values never serve.
RUN DEBUG=False SECRET_KEY=build-only-key-build-only-key-build-only-key-0123456789 \
    ALLOWED_HOSTS=build python manage.py collectstatic --no-input \
 && useradd --system --home /app ntm && mkdir -p /app/var/media /app/var/beat && chown -R ntm /app/var
USER ntm
EXPOSE 8000
CMD ["gunicorn", "ntm_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
