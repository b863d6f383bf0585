"""The code stays ruff clean: part of the test command, so CI enforces it."""

import shutil
import subprocess

from conftest import ROOT


def test_ruff_check_is_clean():
    ruff = shutil.which("ruff")
    assert ruff, "ruff is installed with the test extras"
    done = subprocess.run([ruff, "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
