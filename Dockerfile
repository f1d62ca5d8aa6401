# The briefing image: Airflow 3.3.2 with this project installed, a CJK font and Pango for the PDF.
# The Python is the one constraints.txt was resolved on; tests/test_install.py runs the pip step below
# in a clean venv with the same arguments and imports every module of its smoke test.
FROM apache/airflow:3.3.2-python3.11

USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk fonts-hanazono fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/* \
 && fc-list :lang=zh family | grep -q .
USER airflow

COPY --chown=airflow:0 pyproject.toml README.md constraints.txt /opt/briefing/
COPY --chown=airflow:0 briefing /opt/briefing/briefing
COPY --chown=airflow:0 templates /opt/briefing/templates
COPY --chown=airflow:0 config /opt/briefing/config
RUN pip install --no-cache-dir --constraint /opt/briefing/constraints.txt "apache-airflow==${AIRFLOW_VERSION}" "/opt/briefing[airflow,postgres]" \
 && python -c "import briefing.pipeline, briefing.doctor, briefing.enrich, openai, trafilatura, lxml_html_clean, weasyprint, psycopg2, airflow.providers.smtp.hooks.smtp, airflow.providers.standard.operators.hitl, airflow.providers.celery.executors.celery_executor"
