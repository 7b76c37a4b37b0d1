"""Profile "limits": does the integration stay inside Zoho's limits, and how much does it sync?

Each locust user is one customer organisation (spread over the data centers in ``--dcs``) whose
integration links (code exchange), then runs sync jobs every ``--poll-vmin`` virtual minutes: token
refresh, list pages, detail GETs of new or changed records, a write read back by the next job. It
paces itself to ``--budget`` of the org's per-minute limit. ``python -m load run limits`` runs it
bounded and checks the emulator's journal afterwards (see load/README.md).

    locust -f load/locustfiles/limits.py --headless -u 40 -r 20 -t 60s --host http://127.0.0.1:8080
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the project root: `load` and `mock_zoho`

from load.users import ZohoSyncUser  # noqa: E402


class SyncingOrg(ZohoSyncUser):
    paced = True
