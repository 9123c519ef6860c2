"""User-facing errors and the command-line wrapper that turns them into one clear line."""

import argparse
import functools
import math
import sys


class UserError(Exception):
    """A problem with the user's input (a path, a file, an argument): reported in one line, exit 2."""


def cli_main(func):
    """Run ``func``; a UserError (or Ctrl-C) becomes one ``error: ...`` line on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except UserError as exc:
            print(f"error: {exc}", file=sys.stderr)
            sys.exit(2)
        except KeyboardInterrupt:
            print("error: interrupted", file=sys.stderr)
            sys.exit(130)

    return wrapper


class _OneLineParser(argparse.ArgumentParser):
    """argparse prints usage plus a message on a bad command line; here it is one ``error:`` line
    (via :func:`cli_main`) that names the script and points at --help, like every other user error."""

    def error(self, message):
        raise UserError(f"{self.prog}: {message} (see {self.prog} --help)")


def script_parser(doc: str) -> argparse.ArgumentParser:
    """The argument parser of a workflow script: its docstring as --help, bad arguments as one line.
    Parse inside a function wrapped by :func:`cli_main`."""
    return _OneLineParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)


def number(kind=float, *, low=None, high=None, low_open=False, high_open=False):
    """An argparse ``type=`` that accepts only a finite ``kind`` (int or float) within the bounds, so a
    value such as ``--epochs 0`` or ``--lr nan`` is refused on the command line with the reason."""

    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {'an integer' if kind is int else 'a number'}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
        if low is not None and (value < low or (low_open and value == low)):
            raise argparse.ArgumentTypeError(f"{text} is not {'>' if low_open else '>='} {low}")
        if high is not None and (value > high or (high_open and value == high)):
            raise argparse.ArgumentTypeError(f"{text} is not {'<' if high_open else '<='} {high}")
        return value

    return parse
