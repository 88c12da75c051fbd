"""Django views for "Log in with Patreon", a page only active patrons see, and a webhook receiver.

The Patreon side is in ``patron_portal.py``, shared with the Flask example; this file is the Django side, and the
URLconf (``ROOT_URLCONF`` of ``django_settings.py``). Settings: the ``PATREON_*`` names of ``patron_portal.py``.

Usage (in your project's urls.py)::

    from django.urls import include, path
    urlpatterns = [path('', include('django_views'))]
"""
import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

import patreon.oauth
from patron_portal import SETTING_NAMES, LoginRefused, NotLoggedIn, Portal, Settings


@functools.lru_cache(maxsize=None)
def get_portal():
    """The app's one :class:`Portal`, made from the settings on first use."""
    return Portal(Settings.from_mapping({name: getattr(settings, name, None) for name in SETTING_NAMES}))


@receiver(setting_changed)
def forget_portal(setting, **kwargs):
    # Tests change settings with override_settings: the next request then gets a portal made from the new ones.
    if setting in SETTING_NAMES:
        get_portal.cache_clear()


def page(title, message, status=200, link=None, link_text=None, request=None):
    html = format_html('<!doctype html>\n<title>{}</title>\n<h1>{}</h1>\n<p>{}</p>\n', title, title, message)
    if link:
        html += format_html('<p><a href="{}">{}</a></p>\n', link, link_text)
    if request is not None and 'patreon_user_id' in request.session:
        # Logout is a POST (a link could log anyone out): a form with Django's CSRF token, which its middleware checks.
        html += format_html('<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" '
                            'value="{}"><button>Log out</button></form>\n', reverse('logout'), get_token(request))
    return HttpResponse(html, status=status)


@require_GET
def index(request):
    if 'patreon_user_id' not in request.session:
        return page('Welcome', 'Patrons see more here.', link=reverse('login'), link_text='Log in with Patreon')
    return page('Welcome back', 'You are logged in.', link=reverse('patrons'), link_text='The patrons-only page',
                request=request)


@require_GET
def login(request):
    # A fresh, unguessable state per login, kept where only this browser can present it back: the session.
    state = patreon.oauth.make_state()
    request.session['patreon_state'] = state
    return HttpResponseRedirect(get_portal().authorization_url(state))


@require_GET
def oauth_redirect(request):
    try:
        user_id = get_portal().complete_login(request.session.pop('patreon_state', None), request.GET)
    except LoginRefused as exc:
        return page('Login refused', str(exc), status=403, link=reverse('login'), link_text='Try again')
    request.session['patreon_user_id'] = user_id
    return HttpResponseRedirect(reverse('patrons'))


@require_GET
def patrons(request):
    user_id = request.session.get('patreon_user_id')
    if user_id is None:
        return HttpResponseRedirect(reverse('login'))
    try:
        visitor = get_portal().visitor(user_id)
    except NotLoggedIn:
        request.session.pop('patreon_user_id', None)
        return HttpResponseRedirect(reverse('login'))
    if visitor.is_creator:
        return page('Patrons only', 'This is your own campaign, {}: your patrons see this page.'.format(
            visitor.full_name), request=request)
    if not visitor.is_patron:
        return page('Patrons only', 'Become a patron to see this page, {}.'.format(visitor.full_name), status=403,
                    request=request)
    return page('Patrons only', 'Thank you for your support, {}!'.format(visitor.full_name), request=request)


@require_POST
def logout(request):
    user_id = request.session.pop('patreon_user_id', None)
    if user_id is not None:
        get_portal().tokens.forget(user_id)
    return HttpResponseRedirect(reverse('index'))


# Patreon cannot send a CSRF token; the signature is what proves a delivery genuine.
@csrf_exempt
@require_POST
def patreon_webhook(request):
    # request.body: the raw bytes the signature covers, never JSON parsed and serialised again.
    status, text = get_portal().receive_webhook(request.body, request.headers.get('X-Patreon-Signature'),
                                                request.headers.get('X-Patreon-Event'))
    return HttpResponse(text, status=status, content_type='text/plain; charset=utf-8')


urlpatterns = [
    path('', index, name='index'),
    path('login', login, name='login'),
    path('oauth/redirect', oauth_redirect, name='oauth_redirect'),
    path('patrons', patrons, name='patrons'),
    path('logout', logout, name='logout'),
    path('webhooks/patreon', patreon_webhook, name='patreon_webhook'),
]
