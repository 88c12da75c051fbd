"""The web app tests/test_forks.py serves with gunicorn ``--preload``: its Patreon client is used before the fork.

``GET /member/<id>`` answers the id of the member the client fetched, so that a test can tell an answer meant for
another request. Flask where it is installed (3.8+), else the same route as a bare WSGI callable.
Configured by the environment: PATREON_FORK_APP_URL (the sandbox), PATREON_FORK_APP_TOKEN, PATREON_FORK_APP_WARM (a
member id fetched at import, so that the master holds a kept-alive connection when it forks the workers).
"""
import os

import patreon

api = patreon.API(os.environ['PATREON_FORK_APP_TOKEN'], base_url=os.environ['PATREON_FORK_APP_URL'],
                  raise_errors=True, timeout=patreon.Timeout(10, 10, total=20))
api.get_members_by_id(os.environ['PATREON_FORK_APP_WARM'])  # in the master: its connection stays open


def member_id(asked):
    return api.get_members_by_id(asked).data().id()


try:
    import flask
except ImportError:
    flask = None

if flask is not None:
    app = flask.Flask(__name__)

    @app.route('/member/<asked>')
    def member(asked):
        return member_id(asked)
else:
    def app(environ, start_response):
        asked = environ['PATH_INFO'].rsplit('/', 1)[-1]
        body = member_id(asked).encode('utf-8')
        start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', str(len(body)))])
        return [body]
