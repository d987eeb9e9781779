"""Install pip into a virtualenv created with --without-pip (Debian without python3-venv's ensurepip).

Downloads the latest pip wheel from PyPI (the only network source the project uses) and runs pip from
the wheel itself to install it. Usage: .venv/bin/python scripts/bootstrap_pip.py
"""

import json
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path


def main() -> None:
    with urllib.request.urlopen("https://pypi.org/pypi/pip/json", timeout=60) as response:
        release = json.load(response)
    wheel = next(f for f in release["urls"] if f["filename"].endswith(".whl"))
    target = Path(tempfile.mkdtemp()) / wheel["filename"]
    urllib.request.urlretrieve(wheel["url"], target)
    subprocess.check_call([sys.executable, f"{target}/pip", "install", "--no-index", str(target)])


if __name__ == "__main__":
    main()
