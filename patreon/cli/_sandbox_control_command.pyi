import argparse
from typing import Any, Final

from ._context import Context

__all__ = ['add_sandbox_control_command', 'command_sandbox_control', 'PLEDGE_KINDS', 'refusal_exit_status']

PLEDGE_KINDS: Final[tuple[str, ...]]

def add_sandbox_control_command(subparsers: Any) -> argparse.ArgumentParser: ...
def command_sandbox_control(context: Context) -> int: ...
def refusal_exit_status(status: int) -> int: ...
