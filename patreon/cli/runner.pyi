from collections.abc import Mapping, Sequence

__all__ = ['main']

def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int: ...
