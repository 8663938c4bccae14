"""How grader helpers report a failed expectation.

Every helper failure goes through :func:`fail`, which ends the test with
exactly the message given (no Python traceback): the message is what the
student reads, in the terminal and in Gradescope's results.json.
"""

from __future__ import annotations

from typing import Iterable, NoReturn

LAST_LINES = 20


def fail(message: str) -> NoReturn:
    import pytest

    pytest.fail(message.rstrip("\n"), pytrace=False)


def indent(lines: Iterable[str], prefix: str = "    ") -> str:
    out = [prefix + line for line in lines]
    return "\n".join(out) if out else prefix + "(nothing)"


def quote_lines(lines, what: str = "console lines") -> str:
    lines = list(lines)
    if not lines:
        return f"there were no {what} at all"
    return f"the last {len(lines)} {what} were:\n" + indent(lines)
