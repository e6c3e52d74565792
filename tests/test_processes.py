"""Children started through lib/beichen/processes.py end with the process that started them, even
killed with SIGKILL, and with them every process they started (group=True, as make → latexmk → xelatex)."""
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest

from beichen.paths import REPO_ROOT


def _alive(marker: str) -> list[str]:
    """`pid stat args` of the live (not zombie) processes whose command line holds `marker`."""
    found = subprocess.run(["ps", "-eo", "pid=,stat=,args="], capture_output=True, text=True).stdout.splitlines()
    return [line for line in found if marker in line and not line.split()[1].startswith("Z") and "ps -eo" not in line]


@pytest.mark.parametrize("group", [False, True])
def test_children_die_with_a_killed_parent(group):
    seconds = 1000 + uuid.uuid4().int % 8000  # a sleep length no other process uses
    command = ["sh", "-c", f"sleep {seconds} & sleep {seconds}.5; wait"] if group else ["sleep", str(seconds)]
    parent = subprocess.Popen([sys.executable, "-c", "import sys; from beichen import processes; "
                               f"processes.run({command!r}, group={group})"], cwd=REPO_ROOT)
    try:
        deadline = time.monotonic() + 30
        while len(_alive(f"sleep {seconds}")) < (2 if group else 1):
            assert time.monotonic() < deadline and parent.poll() is None
            time.sleep(0.1)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        time.sleep(1)
        assert _alive(f"sleep {seconds}") == []
    finally:
        for line in _alive(f"sleep {seconds}"):  # never leave this test's own sleeps running
            os.kill(int(line.split()[0]), signal.SIGKILL)


def test_a_child_started_from_a_thread_that_ended_lives_on():
    """Linux's PDEATHSIG follows the thread that forked: children are forked from the long-lived
    launcher thread, not from the (short-lived) thread that asked."""
    import threading

    from beichen import processes

    box = {}
    thread = threading.Thread(target=lambda: box.update(p=processes.popen(["sleep", "30"])))
    thread.start()
    thread.join()
    time.sleep(0.5)
    try:
        assert box["p"].poll() is None
    finally:
        box["p"].kill()
        box["p"].wait()
