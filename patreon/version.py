"""The package version, kept in this one place (setup.py reads it from here)."""

__all__ = ['__version__']

__version__ = '0.6.0'
