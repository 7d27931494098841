# The app alone; Redis runs beside it (docker-compose.yml) and is found by REDIS_URL.
FROM python:3.11-slim

# PYTHONPATH: the app is imported from this directory, so that it finds web/ beside it;
# `pip install .` brings its dependencies and the `floorkeeper` command.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONPATH=/srv/floorkeeper

WORKDIR /srv/floorkeeper
COPY pyproject.toml README.md ./
COPY app ./app
COPY web ./web
RUN pip install . \
    && useradd --system --home-dir /srv/floorkeeper floorkeeper \
    && mkdir -p var && chown floorkeeper var

USER floorkeeper
EXPOSE 8000
CMD ["floorkeeper", "serve", "--host", "0.0.0.0", "--port", "8000"]
