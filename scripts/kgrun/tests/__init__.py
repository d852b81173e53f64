# SPDX-License-Identifier: GPL-2.0
"""The runner's own unit tests, over inputs recorded in test_data/ (see
test_data/README): no kernel, no valgrind, a few seconds.

  cd scripts/kgrun && python3 -m unittest discover -s tests -t .

The runner's modules import each other by their plain names, as
python3 scripts/kgrun does: their folder goes on the path."""
import os
import sys

RUNNER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "test_data")
if RUNNER not in sys.path:
    sys.path.insert(0, RUNNER)


# The kernel tree's kunit.py, for the tests that check kunit.py parse reads
# what the runner writes: make runner-test names it (KSRC= or build/linux).
KUNIT_PY = os.environ.get("KG_KUNIT_PY") or os.path.join(
    RUNNER, os.pardir, os.pardir, "build", "linux", "tools", "testing", "kunit", "kunit.py")


def data(*path):
    """The path of a recorded input."""
    return os.path.join(DATA, *path)


def read_data(*path):
    with open(data(*path), encoding="utf-8") as f:
        return f.read()
