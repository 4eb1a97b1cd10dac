"""A Flask hello-world with an app factory: the floor the service's own pages are measured against in bench/."""

from __future__ import annotations

from flask import Flask, Response


def create_app() -> Flask:
    """The smallest useful Flask app: one route answering a short plain-text body."""
    app = Flask(__name__)

    @app.get("/")
    def hello() -> Response:
        return Response("Hello, World!\n", mimetype="text/plain")

    return app
