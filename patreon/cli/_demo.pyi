# What importers of the demo use: run_demo(). The journey's steps and its report are the demo's own machinery.
from typing import TextIO

__all__ = ['run_demo']

def run_demo(members: int = 2500, seed: int = 7, out: TextIO | None = None) -> bool: ...
