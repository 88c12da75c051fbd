"""The package version, kept in this one place (setup.py reads it from here)."""

__version__ = '0.6.0'
