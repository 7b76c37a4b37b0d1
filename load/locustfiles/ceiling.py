"""Profile "ceiling": where does the emulator fall over? Throughput and latency at rising load.

The same sync integration, but the orgs' limits are lifted and nobody paces: each user syncs again
as soon as a job ends. ``--steps users:seconds,...`` raises the number of users stage by stage
(locust's LoadTestShape); the stats history then shows requests per second and latency per stage.

    locust -f load/locustfiles/ceiling.py --headless --steps 4:10,8:10,16:10 --host http://127.0.0.1:8080
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the project root: `load` and `mock_zoho`

from locust import LoadTestShape  # noqa: E402

from load.options import parse_steps  # noqa: E402
from load.users import ZohoSyncUser  # noqa: E402


class HammeringOrg(ZohoSyncUser):
    paced = False
    unlimited = True
    poll_vmin = 0.0
    refresh = "cached"  # a refresh per back-to-back job would meet Zoho's 10 tokens / 10 min at once


class RisingLoad(LoadTestShape):
    """Stages of ``--steps``; the run ends after the last one."""

    def tick(self):
        steps = parse_steps(self.runner.environment.parsed_options.steps)
        elapsed, end = self.get_run_time(), 0.0
        for users, seconds in steps:
            end += seconds
            if elapsed < end:
                return users, max(users, 1)
        return None
