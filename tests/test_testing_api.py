"""The public testing API: the README's example runs as written, and every factory gives one shape."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from mock_zoho import testing

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Testing API", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README's Testing API section has no python example"
    return match.group(1)


def test_readme_example_runs():
    exec(compile(readme_example(), "README.md (Testing API)", "exec"), {})


@pytest.mark.parametrize("make", [testing.inprocess, testing.server])
def test_one_shape_for_every_mode(make):
    with make() as zoho:
        assert zoho.admin.health()["status"] == "ok"
        user = zoho.admin.create_user(dc="eu")
        grant = zoho.token(user, ["ZohoBooks.settings.READ"])
        assert grant.api_domain == zoho.api_url("eu")
        assert grant.access_token not in repr(grant) and grant.refresh_token not in repr(grant)
        with pytest.raises(testing.AdminCallError) as err:
            zoho.admin.create_user("not-an-email-at-all", dc="xx")
        assert err.value.status == 400 and err.value.field
        start = zoho.clock.now()
        zoho.clock.sleep_until(start + 120)
        zoho.clock.sleep_until(start + 60)   # already past: no move
        assert 120 <= zoho.clock.now() - start < 125


def test_consent_stand_in_walks_zoho_pages():
    with testing.inprocess() as zoho:
        zoho.admin.create_user("p@example.com", dc="eu")
        client = zoho.admin.create_client(redirect_uris=["https://app.example.test/cb"], enabled_dcs=["us", "eu"])
        url = (f"{zoho.accounts_url('us')}/oauth/v2/auth?client_id={client['client_id']}&response_type=code"
               "&redirect_uri=https://app.example.test/cb&scope=ZohoBooks.settings.READ&access_type=offline"
               "&prompt=consent&state=s1")
        accepted = testing.redirect_params(zoho.consent(url, "p@example.com"))
        assert accepted["location"] == "eu" and accepted["state"] == "s1" and accepted["code"]
        assert accepted["accounts-server"] == zoho.accounts_url("eu")
        denied = testing.redirect_params(zoho.consent(url, "p@example.com", decision="deny"))
        assert denied["error"] == "access_denied" and "code" not in denied


def test_remote_target_sees_a_running_server():
    with testing.server() as local:
        remote = testing.remote(local.base)
        user = remote.admin.create_user(dc="us")
        assert local.admin.user(user["user_id"])["email"] == user["email"]
        assert remote.emulator is None and remote.clock.now() == pytest.approx(local.clock.now(), abs=5)
