"""The API against its own OpenAPI, with schemathesis, as every kind of caller.

    python -m tests.contract.run [--database-url URL] [--max-examples 5]

Starts `bolin-events serve` on a fresh data directory (the demo season; SQLite by default,
or the PostgreSQL database of ``--database-url``), makes an admin, a scheduler and a
reporter of 东胜村 with their tokens, then runs ``schemathesis run`` over the whole schema
once per caller — anonymous, reporter, scheduler, admin — with a few generated examples per
operation (``--max-examples``) and every check: no server error, every status documented,
every body matching its documented schema (errors: the one Problem shape), a true ``Allow``
on unsupported methods. Prints schemathesis' own report; exits non-zero on any failure.
`.ci/run` runs it on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bolin_events.models import Role
from bolin_events.settings import Settings
from tests.support.db import Person, prepare
from tests.support.servers import serve

CALLERS = ("anonymous", "reporter", "scheduler", "admin")
PEOPLE = (Person("admin", Role.admin), Person("scheduler", Role.scheduler),
          Person("reporter", Role.reporter, ("dongsheng",)))
# Checks that need more than one operation's answer to judge (e.g. "a resource created
# must be readable") are left to the suite's own tests, which know the data.
EXCLUDED = "use_after_free,ensure_resource_availability,positive_data_acceptance"


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--max-examples", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bolin-contract-") as tmp:
        data = Path(tmp) / "data"
        settings = Settings(data_dir=data, database_url=args.database_url,
                            secret_key="contract-test-secret-key")
        tokens = prepare(settings, PEOPLE, demo=True, token_name="contract")
        env = {"BOLIN_SECRET_KEY": settings.secret_key or "",
               "BOLIN_LOGIN_MAX_FAILURES": "1000"}
        failed = []
        with serve(data, database_url=args.database_url, env=env) as server:
            for caller in CALLERS:
                started = time.monotonic()
                command = [sys.executable, "-m", "schemathesis.cli", "run",
                           server.at("/schema/openapi.json"), "--checks", "all",
                           "--exclude-checks", EXCLUDED, "--max-examples",
                           str(args.max_examples), "--generation-deterministic",
                           "--request-timeout", "30", "--suppress-health-check", "all"]
                if caller != "anonymous":
                    command += ["--header", f"Authorization: Bearer {tokens[caller]}"]
                print(f"\n===== schemathesis as {caller} =====", flush=True)
                # in the scratch folder: schemathesis keeps a cache of past failures where it
                # runs, and would replay them instead of starting from this code
                outcome = subprocess.run(command, cwd=tmp, env={**os.environ, "NO_COLOR": "1"})
                print(f"----- {caller}: exit {outcome.returncode} in "
                      f"{time.monotonic() - started:.0f}s", flush=True)
                if outcome.returncode != 0:
                    failed.append(caller)
    if failed:
        print(f"contract broken as: {', '.join(failed)}")
        return 1
    print("contract kept as every caller")
    return 0


if __name__ == "__main__":
    sys.exit(main())
