"""The floors of DESIGN.md §2, enforced: `lint-imports` checks the contracts in .importlinter
(layers, the desk acting on content only through moderation.review, no import cycles)."""
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LINT = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"]


def lint(root):
    # grimp reads the packages from the import path: the copy under test goes first.
    return subprocess.run([*LINT, "--no-cache"], cwd=root, env={"PYTHONPATH": str(root), "PATH": ""},
                          capture_output=True, text=True, timeout=120)


def test_the_code_keeps_every_contract():
    result = lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


def test_an_upward_import_and_a_cycle_are_caught(tmp_path):
    for package in ("forum", "moderation"):
        shutil.copytree(REPO / package, tmp_path / package, ignore=shutil.ignore_patterns("model", "corpus", "*.pyc"))
    shutil.copy(REPO / ".importlinter", tmp_path)
    with (tmp_path / "forum" / "models.py").open("a") as f:
        f.write("\nfrom moderation import views  # noqa: E402,F401  (the bottom reaching up to the desk)\n"
                "from forum.boards import service  # noqa: E402,F401  (and into a feature that imports it)\n")
    result = lint(tmp_path)
    assert result.returncode != 0
    assert "forum.models is not allowed to import moderation.views" in result.stdout
    assert "forum.models is not allowed to import forum.boards" in result.stdout
    assert "No import cycles between sibling modules or packages BROKEN" in result.stdout
