import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()


def _warm_pdf_renderer() -> None:
    # Imported here, in a web process only: management commands never load WeasyPrint for this.
    from apps.exports.pdf import warm

    warm()


# The first PDF a process lays out loads fonts and stylesheets (seconds, cold): do it now, in the
# background, so it is ready before the first download (bench/pdf_first.py measures both).
threading.Thread(target=_warm_pdf_renderer, name="pdf-warm-up", daemon=True).start()
