from collections.abc import Mapping, Sequence

__all__ = ['main', 'SECRET_OPTIONS']

SECRET_OPTIONS: tuple[str, ...]

def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int: ...
