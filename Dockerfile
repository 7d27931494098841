# The app alone; Redis and nginx run beside it (docker-compose.yml).
# First stage: build the wheel, which carries the screens (web/) as package data of `app`.
FROM python:3.11-slim AS wheel
WORKDIR /src
COPY pyproject.toml setup.py MANIFEST.in README.md ./
COPY app ./app
COPY web ./web
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

# Second stage: install the wheel and its dependencies; no source tree beside it.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1
COPY --from=wheel /wheels /wheels
RUN pip install /wheels/floorkeeper-*.whl \
    && rm -rf /wheels \
    && useradd --system --create-home --home-dir /srv/floorkeeper floorkeeper
WORKDIR /srv/floorkeeper
USER floorkeeper
EXPOSE 8000
CMD ["floorkeeper", "serve", "--host", "0.0.0.0", "--port", "8000"]
