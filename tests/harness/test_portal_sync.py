"""Reading data through the portal: queue data types for a Linked company, run the connector's engine
on the portal's SQLite SyncStore, read the records back; the daily quota pauses and resumes."""
from __future__ import annotations

import pytest

from harness.portal.testing import PortalWorld
from mock_zoho import testing


@pytest.fixture(scope="module")
def zoho():
    with testing.server(seed=5) as target:
        yield target


@pytest.fixture
def linked(zoho):
    with PortalWorld.start(zoho, clock=zoho.clock) as world:
        world.call("PUT", "/api/integrations/zoho-books", json={"data_types": ["invoices", "customers", "taxRates"]})
        user = zoho.admin.create_user(dc="eu")
        org = zoho.admin.create_org(users=[user], edition="uk", counts={"invoices": 7, "contacts": 4})
        company = world.company("Reader")
        assert world.link(company["redirect"], user["email"]).params["statusCode"] == "200"
        yield world, company, org


def test_queue_all_with_wait_reads_every_selected_type(linked):
    world, company, org = linked
    result = world.call("POST", f"/api/companies/{company['id']}/data/all?wait=true")["results"]
    assert {d["dataType"]: d["status"] for d in result} == {"invoices": "Complete", "customers": "Complete",
                                                           "taxRates": "Complete"}
    invoices = world.call("GET", f"/api/companies/{company['id']}/data/invoices?raw=true")
    assert invoices["totalResults"] == 7 and "_raw" in invoices["results"][0]
    status = world.call("GET", f"/api/companies/{company['id']}/dataStatus")
    assert status["invoices"]["currentStatus"] == "Complete" and "lastSuccessfulSync" in status["invoices"]
    types = [e["eventType"] for e in world.call("GET", f"/api/events?companyId={company['id']}")["results"]]
    assert "read.completed.initial" in types
    connection = world.call("GET", f"/api/companies/{company['id']}/connections")["results"][0]
    assert connection["lastSync"] is not None


def test_background_queue_answers_with_the_dataset_and_finishes(linked):
    world, company, _ = linked
    ds = world.call("POST", f"/api/companies/{company['id']}/data/queue/invoices", expect=202)
    assert ds["dataType"] == "invoices" and ds["id"]
    world.platform.sync.close()  # joins the background run
    done = world.call("GET", f"/api/companies/{company['id']}/datasets/{ds['id']}")
    assert done["status"] == "Complete"


def test_daily_quota_pauses_then_resume_due_finishes(linked, zoho):
    world, company, org = linked
    zoho.admin.add_fault("daily_limit", path="/books/v3/invoices*", count=1)
    first = world.call("POST", f"/api/companies/{company['id']}/data/queue/invoices?wait=true")
    assert first["status"] == "Queued" and first["statusDescription"].startswith("Paused until ")
    again = world.call("POST", f"/api/companies/{company['id']}/data/queue/invoices", expect=409)
    assert again["error"] == (f"DatasetAlreadyInProgressException: Cannot queue invoices sync for {company['id']} "
                              f"as previous sync {first['id']} is still in progress")
    assert world.call("POST", "/api/sync/resume-due")["results"] == []  # not yet: the reset is tomorrow
    world.platform.clock.advance(86400)
    resumed = world.call("POST", "/api/sync/resume-due")["results"]
    assert [(d["id"], d["status"]) for d in resumed] == [(first["id"], "Complete")]


def test_a_type_queued_while_it_runs_is_refused_naming_the_running_dataset(linked, zoho):
    world, company, org = linked
    zoho.admin.add_fault({"type": "latency", "ms": 400}, path="/books/v3/invoices",
                         organization_id=org["organization_id"], count=1)
    first = world.call("POST", f"/api/companies/{company['id']}/data/queue/invoices", expect=202)
    again = world.call("POST", f"/api/companies/{company['id']}/data/queue/invoices", expect=409)
    world.platform.sync.close()  # joins the background run
    assert again == {"error": f"DatasetAlreadyInProgressException: Cannot queue invoices sync for {company['id']} "
                              f"as previous sync {first['id']} is still in progress", "field": "dataType"}


def test_unknown_type_and_unlinked_company_are_refused(linked):
    world, company, _ = linked
    assert world.call("POST", f"/api/companies/{company['id']}/data/queue/nope", expect=404)["field"] == "dataType"
    other = world.company("Not Linked")
    assert world.call("POST", f"/api/companies/{other['id']}/data/all", expect=409)["field"] == "companyId"


def test_fetch_on_first_link_reads_every_selected_type(zoho):
    settings = {"link.fetch_on_first_link": True}
    with PortalWorld.start(zoho, clock=zoho.clock, settings=settings) as world:
        world.call("PUT", "/api/integrations/zoho-books", json={"data_types": ["invoices", "items"]})
        user = zoho.admin.create_user(dc="us")
        zoho.admin.create_org(users=[user], edition="us", counts={"invoices": 2, "items": 3})
        company = world.company("Eager")
        assert world.link(company["redirect"], user["email"]).params["statusCode"] == "200"
        world.platform.sync.close()  # joins the background run the link started
        datasets = world.call("GET", f"/api/companies/{company['id']}/datasets")["results"]
        assert sorted((d["dataType"], d["status"]) for d in datasets) == [("invoices", "Complete"),
                                                                         ("items", "Complete")]
