"""User-facing errors and the command-line wrapper that turns them into one clear line."""
import functools
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
