import argparse
from typing import Any

from ._context import Context

__all__ = ['add_demo_command', 'command_demo']

def add_demo_command(subparsers: Any) -> argparse.ArgumentParser: ...
def command_demo(context: Context) -> int: ...
