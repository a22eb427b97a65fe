"""Paste the current output hashes into tests/test_golden.py, after a change meant to change outputs.

    python tools/update_golden.py      (from the project folder; then review `git diff tests/test_golden.py`)

Say in the commit message which outputs changed and why.
"""

import ast
import re
import subprocess
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "test_golden.py"


def main() -> None:
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", str(GOLDEN)], capture_output=True, text=True,
                          cwd=GOLDEN.parent.parent)
    new = {m.group(1): ast.literal_eval(m.group(2))
           for m in re.finditer(r"AssertionError: '(\w+)': (\{.*?\})$", done.stdout, re.M)}
    text = GOLDEN.read_text(encoding="utf-8")
    start = text.index("GOLDEN: dict[str, dict[str, str]] = {")
    end = text.index("\n}\n", start) + 3
    golden = ast.literal_eval(text[start:end].split("=", 1)[1]) | new
    lines = ["GOLDEN: dict[str, dict[str, str]] = {"]
    for kind, digests in golden.items():
        items = [f'"{name}": "{digest}"' for name, digest in digests.items()]
        line, pad = f'    "{kind}": {{', " " * (len(kind) + 9)
        for i, item in enumerate(items):
            piece = item + (", " if i < len(items) - 1 else "},")
            if len(line) + len(piece) > 120:
                lines.append(line.rstrip())
                line = pad + piece
            else:
                line += piece
        lines.append(line)
    GOLDEN.write_text(text[:start] + "\n".join(lines) + "\n}\n" + text[end:], encoding="utf-8")
    print("updated:", ", ".join(sorted(new)) or "nothing (the hashes were current)")


if __name__ == "__main__":
    main()
