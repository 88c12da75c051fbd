"""A Flask app with "Log in with Patreon", a page only active patrons see, and a webhook receiver.

The Patreon side (code exchange, tokens and their refresh, the patron check, webhook verification and deduplication)
is in ``patron_portal.py``, shared with the Django example; this file is the Flask side. Settings: the
``PATREON_*`` environment variables listed in ``patron_portal.py`` (or ``create_app({...})``), plus
``FLASK_SECRET_KEY``, which signs the session cookie.

Try it against a local sandbox::

    patreon sandbox --port 5001      # prints the client id and secret, the campaign id and a creator token
    export PATREON_BASE_URL=http://127.0.0.1:5001 PATREON_CLIENT_ID=... PATREON_CLIENT_SECRET=...
    export PATREON_REDIRECT_URI=http://localhost:8000/oauth/redirect PATREON_CAMPAIGN_ID=...
    python examples/flask_app.py     # then open http://localhost:8000/

and for webhooks, register ``http://localhost:8000/webhooks/patreon`` (``patreon webhooks create``) and set
``PATREON_WEBHOOK_SECRET`` to the secret it answers.
"""
import os

from flask import Flask, redirect, render_template_string, request, session, url_for

import patreon.oauth
from patron_portal import SETTING_NAMES, LoginRefused, NotLoggedIn, Portal, Settings

PAGE = '''<!doctype html>
<title>{{ title }}</title>
<h1>{{ title }}</h1>
<p>{{ message }}</p>
{% if link %}<p><a href="{{ link }}">{{ link_text }}</a></p>{% endif %}
{% if logout %}<form method="post" action="{{ url_for('logout') }}">
<input type="hidden" name="csrf_token" value="{{ session['csrf_token'] }}"><button>Log out</button></form>{% endif %}
'''


def page(title, message, status=200, link=None, link_text=None):
    # Whoever is logged in gets the logout form: a POST with the session's token, so that another site cannot log
    # the visitor out with a link or a form of its own.
    logout = 'patreon_user_id' in session
    if logout and 'csrf_token' not in session:
        session['csrf_token'] = patreon.oauth.make_state()
    return render_template_string(PAGE, title=title, message=message, link=link, link_text=link_text,
                                  logout=logout), status


def create_app(config=None):
    """Make the app; ``config`` overrides what the environment says.

    Usage::

        app = create_app({'PATREON_BASE_URL': sandbox.url, ...})
        client = app.test_client()
    """
    app = Flask(__name__)
    app.config['SECRET_KEY'] = os.environ.get('FLASK_SECRET_KEY') or os.urandom(32)
    app.config.update({name: os.environ[name] for name in SETTING_NAMES if name in os.environ})
    app.config.update(config or {})
    portal = Portal(Settings.from_mapping(app.config))
    app.extensions['patron_portal'] = portal

    @app.get('/')
    def index():
        if 'patreon_user_id' not in session:
            return page('Welcome', 'Patrons see more here.', link=url_for('login'), link_text='Log in with Patreon')
        return page('Welcome back', 'You are logged in.', link=url_for('patrons'), link_text='The patrons-only page')

    @app.get('/login')
    def login():
        # A fresh, unguessable state per login, kept where only this browser can present it back: the session.
        state = patreon.oauth.make_state()
        session['patreon_state'] = state
        return redirect(portal.authorization_url(state))

    @app.get('/oauth/redirect')
    def oauth_redirect():
        try:
            user_id = portal.complete_login(session.pop('patreon_state', None), request.args)
        except LoginRefused as exc:
            return page('Login refused', str(exc), status=403, link=url_for('login'), link_text='Try again')
        session['patreon_user_id'] = user_id
        return redirect(url_for('patrons'))

    @app.get('/patrons')
    def patrons():
        user_id = session.get('patreon_user_id')
        if user_id is None:
            return redirect(url_for('login'))
        try:
            visitor = portal.visitor(user_id)
        except NotLoggedIn:
            session.pop('patreon_user_id', None)
            return redirect(url_for('login'))
        if visitor.is_creator:
            return page('Patrons only', 'This is your own campaign, {}: your patrons see this page.'.format(
                visitor.full_name))
        if not visitor.is_patron:
            return page('Patrons only', 'Become a patron to see this page, {}.'.format(visitor.full_name), status=403)
        return page('Patrons only', 'Thank you for your support, {}!'.format(visitor.full_name))

    @app.post('/logout')
    def logout():
        if not patreon.oauth.check_state(session.get('csrf_token'), request.form.get('csrf_token')):
            return page('Not logged out', 'That form did not come from this site.', status=403,
                        link=url_for('index'), link_text='Home')
        session.pop('csrf_token', None)
        user_id = session.pop('patreon_user_id', None)
        if user_id is not None:
            portal.tokens.forget(user_id)
        return redirect(url_for('index'))

    @app.post('/webhooks/patreon')
    def patreon_webhook():
        # get_data(): the raw bytes the signature covers, never JSON parsed and serialised again.
        status, text = portal.receive_webhook(request.get_data(), request.headers.get('X-Patreon-Signature'),
                                              request.headers.get('X-Patreon-Event'))
        return text, status, {'Content-Type': 'text/plain; charset=utf-8'}

    return app


if __name__ == '__main__':
    create_app().run(host='localhost', port=8000)
