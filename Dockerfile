# syntax=docker/dockerfile:1
# Safelist's production image. Stage one turns the locked dependencies into wheels; stage two is
# a slim runtime that installs only those wheels, runs as an unprivileged user and serves with
# gunicorn (settings from the environment, see .env.example and config/gunicorn.py).

ARG PYTHON_IMAGE=python:3.12-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /build
RUN pip install "uv==0.13.9"
COPY pyproject.toml uv.lock ./
# The runtime dependencies exactly as locked, each download checked against the lock's hashes.
RUN uv export --locked --no-dev --no-emit-project --format requirements-txt -o requirements.txt \
 && pip wheel --require-hashes -r requirements.txt --wheel-dir /wheels

FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
# WeasyPrint lays out text with Pango; DejaVu is the font the PDF styles name.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 safelist \
 && useradd --system --uid 10001 --gid safelist --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin safelist
# The wheels are mounted for this step only, so they never become a layer of the image.
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-index --no-deps /wheels/*.whl

WORKDIR /app
# The code stays owned by root: the app user can read it but never change it.
COPY . .
# Hashed, compressed static files, collected once here; the throwaway key is used by this step
# alone and is not part of the image's environment. Byte-code is compiled now because the app
# user cannot write it later.
RUN DJANGO_STATIC_MANIFEST=1 DJANGO_SECRET_KEY=collectstatic-only-not-a-secret \
      python manage.py collectstatic --noinput \
 && python -m compileall -q apps config

ENV DJANGO_STATIC_MANIFEST=1 \
    PORT=8000 \
    WEB_CONCURRENCY=2 \
    HOME=/tmp \
    XDG_CACHE_HOME=/tmp/.cache
USER safelist:safelist
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-m", "config.healthcheck"]
CMD ["gunicorn", "--config", "config/gunicorn.py", "config.wsgi"]
