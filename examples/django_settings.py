"""The smallest Django project around ``django_views.py``: settings, with the views module as the URLconf.

Run it (from the repository root) with the ``PATREON_*`` environment variables of ``patron_portal.py`` set::

    DJANGO_SETTINGS_MODULE=django_settings django-admin runserver --pythonpath examples localhost:8000
"""
import os
import secrets

# Signs the session cookie: set DJANGO_SECRET_KEY in production, or every restart logs everybody out.
SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY') or secrets.token_urlsafe(50)
DEBUG = os.environ.get('DJANGO_DEBUG') == '1'
ALLOWED_HOSTS = os.environ.get('DJANGO_ALLOWED_HOSTS', 'localhost,127.0.0.1').split(',')
ROOT_URLCONF = 'django_views'
INSTALLED_APPS = []
MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
]
# The session holds only the OAuth state and the Patreon user id (tokens stay server-side): a signed cookie will
# do, and the example needs no database.
SESSION_ENGINE = 'django.contrib.sessions.backends.signed_cookies'
DATABASES = {}
USE_TZ = True

PATREON_CLIENT_ID = os.environ.get('PATREON_CLIENT_ID')
PATREON_CLIENT_SECRET = os.environ.get('PATREON_CLIENT_SECRET')
PATREON_REDIRECT_URI = os.environ.get('PATREON_REDIRECT_URI', 'http://localhost:8000/oauth/redirect')
PATREON_CAMPAIGN_ID = os.environ.get('PATREON_CAMPAIGN_ID')
PATREON_TIER_ID = os.environ.get('PATREON_TIER_ID')
PATREON_WEBHOOK_SECRET = os.environ.get('PATREON_WEBHOOK_SECRET')
PATREON_BASE_URL = os.environ.get('PATREON_BASE_URL')
