# The briefing image: Airflow 3.3.2 with this project installed and a CJK font for the PDF.
FROM apache/airflow:3.3.2

USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk fonts-hanazono fontconfig libpango-1.0-0 libpangoft2-1.0-0 \
 && rm -rf /var/lib/apt/lists/* \
 && fc-list :lang=zh family | grep -q .
USER airflow

COPY --chown=airflow:0 pyproject.toml README.md constraints.txt /opt/briefing/
COPY --chown=airflow:0 briefing /opt/briefing/briefing
COPY --chown=airflow:0 templates /opt/briefing/templates
COPY --chown=airflow:0 config /opt/briefing/config
RUN pip install --no-cache-dir "apache-airflow==${AIRFLOW_VERSION}" "/opt/briefing[postgres]" \
 && python -c "import briefing.pipeline, weasyprint, trafilatura, datasketch"
