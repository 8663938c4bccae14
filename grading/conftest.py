"""Root conftest of the grader: loads the Tidepool plugin and fixtures.

Graded tests live in tests/labN/ (public) and hidden/labN/ (instructors
only); the grader's own tests in selftest/. See tidepool/fixtures.py for the
fixtures (kernel, timeouts, boot, ktest, console, gdb).
"""

pytest_plugins = ["tidepool.plugin", "tidepool.fixtures", "pytester"]
