"""Paths resolved from the repository root, never from the current directory."""
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data"
NARRATIVE_DIR = DATA_DIR / "narrative"
CHAPTERS_DIR = REPO_ROOT / "chapters"
STAGING_DIR = REPO_ROOT / "build"   # executed notebooks and Sphinx work files, per year
SITE_DIR = REPO_ROOT / "site"       # published editions: site/<year>/index.html, report-<year>.pdf
REVIEW_DIR = REPO_ROOT / "review"   # internal, never published: the 核查报告 of each edition, review/<year>/
PLANS_FOLDER = "plans"              # later plans beside data/: plans/<first year>-<target year>/


def checkout_of(data_dir: Path | str) -> Path:
    """The checkout (or test copy) a plan folder belongs to: the parent of data/, or of plans/ for a
    later plan's folder — where the lock, build/ and the import backups live, shared by all plans."""
    folder = Path(data_dir).resolve()
    return folder.parent.parent if folder.parent.name == PLANS_FOLDER else folder.parent

def folder_shown(data_dir: Path | str) -> str:
    """How a plan folder is named to the analyst: relative to its checkout ("data", "plans/2026-2030"),
    so a message names the file in the plan the build used."""
    folder = Path(data_dir).resolve()
    return folder.relative_to(checkout_of(folder)).as_posix()

#: The package's own folder (lib/beichen): its code is an input of every edition.
LIB_DIR = Path(__file__).resolve().parent


def program_facts() -> dict[str, str]:
    """The program's version and, in a git checkout, its commit (— when unknown): printed in the
    核查报告, so an input of every edition."""
    # Imported here for start-up speed: every command imports paths.py, only a build asks for these.
    import subprocess

    try:
        from importlib.metadata import version
        ver = version("beichen-report")   # pyproject.toml's name
    except Exception:  # not installed as a package (a bare checkout)
        ver = "—"
    try:
        commit = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "--short=12", "HEAD"],
                                capture_output=True, text=True, timeout=10).stdout.strip() or "—"
        dirty = subprocess.run(["git", "-C", str(REPO_ROOT), "status", "--porcelain", "--", "lib"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        if dirty and commit != "—":
            commit += "（程序有未提交的修改）"
    except (OSError, subprocess.SubprocessError):
        commit = "—"
    return {"version": ver, "commit": commit}
