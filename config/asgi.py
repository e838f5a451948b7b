import os

from django.core.asgi import get_asgi_application

from config.dotenv import read_dotenv

read_dotenv()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_asgi_application()
