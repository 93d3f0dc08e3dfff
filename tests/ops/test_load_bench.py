"""bench/load.py runs: a few seconds of every scenario with two users, then its checks.

Slow (the stack is prepared as for production: migrations, the profile,
static files), so outside ``make test``. The figures are not asserted (speed
is the benchmark's business); what is asserted is that every scenario ran
without a server error, that ``audit_verify`` passed and that the integrity
check found every write the clients saw done, and nothing else.
"""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from tests.ops.stack import ROOT

pytestmark = pytest.mark.slow


def test_the_load_benchmark_runs_every_scenario_and_checks_the_database() -> None:
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [
            sys.executable,
            "bench/load.py",
            *("--users", "2", "--seconds", "2", "--warmup", "0.5", "--people", "5"),
            *("--database", f"enlace_bench_load_{uuid.uuid4().hex[:12]}"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = {line.split()[0]: line.split() for line in result.stdout.splitlines() if line}
    for scenario in ("login", "read", "write", "mixed", "api"):
        row = lines[scenario]
        assert row[1] == "2" and float(row[2]) > 0, row  # users, requests per second
        assert row[8:10] == ["0", "0"], row  # no 5xx, no other failure
    assert float(lines["write"][7]) > 0  # writes per second
    assert "audit_verify: the chain verifies" in result.stdout
    assert "integrity: every write answered as done is stored with its audit row" in (result.stdout)
