"""Set-up and start on Windows: the double-click launcher, what it installs, and an older
Python told in Vietnamese what is needed before anything else fails."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

LAUNCHER = ROOT / "bao-cao.cmd"
# import name -> distribution in requirements-run.txt (numpy comes with pandas, lxml with python-docx)
DISTRIBUTION = {"pandas": "pandas", "numpy": "pandas", "python_calamine": "python-calamine", "docxtpl": "docxtpl",
                "docx": "python-docx", "jinja2": "Jinja2", "yaml": "PyYAML", "rapidfuzz": "rapidfuzz", "PIL": "Pillow",
                "orjson": "orjson", "watchdog": "watchdog", "lxml": "python-docx"}


def requirements(name: str) -> list[str]:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_the_launcher_has_windows_line_ends_and_an_encoding_cmd_reads():
    raw = LAUNCHER.read_bytes()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF, no bare line feed
    lines = raw.decode("utf-8").split("\r\n")
    first_non_ascii = next((i for i, line in enumerate(lines) if not line.isascii()), None)
    if first_non_ascii is not None:  # UTF-8 text is only read right after "chcp 65001"
        assert "chcp 65001 >nul" in lines[:first_non_ascii]
    assert (ROOT / ".gitattributes").read_text(encoding="utf-8").splitlines()[-1] == "*.cmd text eol=crlf"


def test_the_launcher_installs_what_running_needs_once_then_starts_the_menu():
    text = LAUNCHER.read_text(encoding="utf-8")
    commands = [line.strip() for line in text.splitlines() if line.strip() and not line.lower().startswith("rem ")]
    assert len(commands) <= 30  # a few lines; the logic is in Python (cli/menu.py)
    assert 'pushd "%~dp0"' in commands  # the project folder, even on a network share
    # Python 3.11 or later is checked before the environment is made
    check = next(i for i, c in enumerate(commands) if "sys.version_info < (3, 11)" in c)
    venv = next(i for i, c in enumerate(commands) if "-m venv .venv" in c)
    assert check < venv and "goto oldpython" in commands[check]
    assert commands[commands.index(":oldpython") + 1] == "%PY% generate.py"  # which says it in Vietnamese
    install = next(c for c in commands if "pip install" in c)
    assert "-r requirements-run.txt" in install and "requirements.txt" not in install.replace("requirements-run", "")
    assert '".venv\\Scripts\\python.exe" generate.py menu || pause' in commands


def test_running_needs_only_requirements_run_and_the_readme_command_installs_everything():
    run, full = requirements("requirements-run.txt"), requirements("requirements.txt")
    assert full[0] == "-r requirements-run.txt"  # `pip install -r requirements.txt` stays the one command
    assert not set(run) & set(full[1:])
    names = {r.split("==")[0] for r in run}
    assert not names & {"pytest", "hypothesis", "ruff", "mypy", "openpyxl", "pexpect", "xlwt", "odfpy"}
    # every third-party module the package imports is installed by the launcher
    imported = set()
    for path in (ROOT / "dicoso").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level:
                imported.add((node.module or "").split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"dicoso", "winreg", "_winapi"}
    assert {DISTRIBUTION.get(m, m) for m in third_party} <= names, third_party


def test_generate_checks_the_python_version_before_anything_else():
    tree = ast.parse((ROOT / "generate.py").read_text(encoding="utf-8"))
    main = next(n for n in tree.body if isinstance(n, ast.If))
    first = main.body[:3]
    assert "python_too_old" in ast.unparse(first[0]) and "sys.exit(1)" in ast.unparse(first[1].body)
    assert not any(isinstance(n, (ast.Import, ast.ImportFrom)) and "dicoso" in ast.unparse(n) for n in tree.body)


def test_the_message_for_an_older_python_says_which_version_and_where():
    sys.path.insert(0, str(ROOT))
    import generate

    assert generate.python_too_old((3, 11, 0)) is None
    said = generate.python_too_old((3, 10, 13))
    assert said.startswith("Chương trình cần Python 3.11 trở lên; máy này đang chạy Python 3.10.13")
    assert "https://www.python.org/downloads/" in said and '"Add python.exe to PATH"' in said


OLD = [Path.home() / ".pyenv" / "versions" / v / "bin" / "python" for v in ("3.10.13", "3.6.15", "2.7.18")]


@pytest.mark.parametrize("python", [p for p in OLD if p.exists()] or [None], ids=lambda p: p and p.parts[-3])
def test_an_older_python_gets_the_vietnamese_message_not_a_syntax_error(python):
    if python is None:
        pytest.skip("no older Python installed here (pyenv)")
    done = subprocess.run([str(python), "generate.py", "--year", "2020"], cwd=ROOT, capture_output=True, timeout=60,
                          env={"PYTHONIOENCODING": "utf-8", "PATH": "/usr/bin:/bin"})
    said = done.stderr.decode("utf-8")
    assert done.returncode == 1
    version = re.search(r"\d+\.\d+\.\d+", python.parts[-3])[0]
    assert said.splitlines()[0].replace("Chuong trinh can", "Chương trình cần").startswith(
        "Chương trình cần Python 3.11 trở lên") and version in said
    assert "Traceback" not in said and "SyntaxError" not in said


def test_the_readme_windows_section_quotes_what_the_program_prints():
    """The README's screens are the program's own words (menu lines, the older-Python message)."""
    sys.path.insert(0, str(ROOT))
    import generate
    from dicoso.cli import menu

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Trên máy Windows"):readme.index("### Nhịp làm việc")]
    for key, text, _ in menu.CHOICES:
        assert f"  {key}. {text}\n" in section
    assert menu.TITLE + "\n" + "=" * len(menu.TITLE) in section
    for line in generate.python_too_old((3, 10, 13)).splitlines():
        quoted = re.sub(r"\([^()]*\)\.$", lambda m: "(C:\\…\\python.exe).", line) if "đang chạy" in line else line
        assert quoted in section, line
    assert "ERROR: No matching distribution found for pandas==" + requirements("requirements-run.txt")[0].split(
        "==")[1] in section  # what pip 24 printed here on Python 3.10.13
