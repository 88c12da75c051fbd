import argparse
from typing import Final, NoReturn

__all__ = ['build_parser', 'DEFAULT_RETRIES']

DEFAULT_RETRIES: Final = 3

class ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn: ...

def build_parser() -> ArgumentParser: ...
