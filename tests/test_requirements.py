"""Dependencies are pinned with hashes, runtime and test tools apart (issue 14, defect 10)."""
import re

from beichen.paths import REPO_ROOT


def _pins(name: str) -> dict[str, list[str]]:
    """{package: [sha256 hashes]} of a pip-compile lock file (continuation lines joined)."""
    text = (REPO_ROOT / name).read_text(encoding="utf-8").replace("\\\n", " ")
    pins = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line)
        assert match, f"{name}: not an exact pin: {line}"
        pins[match.group(1).lower().replace("_", "-")] = re.findall(r"--hash=sha256:([0-9a-f]{64})", line)
    return pins


def test_every_pin_carries_a_hash():
    for name in ("requirements.lock", "requirements-test.lock"):
        pins = _pins(name)
        assert pins and all(pins.values()), [p for p, h in pins.items() if not h]


def test_runtime_and_test_pins_are_apart_and_agree():
    runtime, test = _pins("requirements.lock"), _pins("requirements-test.lock")
    assert {"jupyter-book", "pandas", "papermill", "pandera", "jinja2"} <= set(runtime)
    assert not {"pytest", "playwright", "pluggy", "iniconfig"} & set(runtime)
    assert {"pytest", "playwright", "beautifulsoup4"} <= set(test)


def test_makefile_installs_with_require_hashes():
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [line for line in makefile.splitlines() if "pip install" in line and "-r " in line]
    assert len(installs) == 2 and all("--require-hashes" in line for line in installs)
