"""Gated publishing of the marts to the SQLite file Datasette serves."""
