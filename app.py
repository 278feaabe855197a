"""The Lambda entry point: the app, composed once per process (chalicelib/composition.py)."""

from chalicelib.composition import create_app

app = create_app()
