"""The scenario runner: setup-and-link scenarios as data (YAML), run against an emulated Zoho.

    loader   YAML -> Scenario, every problem refused with file, line and reason
    registry the named steps and checks; steps_zoho, steps_portal, checks_zoho, checks_portal register
             themselves in it, and vocabulary (the one module importing them) is what the rest reads
    runner   one scenario in a world of its own (setup, world) -> ScenarioResult
    reports  report.json (report.schema.json), report.html (charts), junit-10.xsd
    pytest_items / progress   scenario files as pytest items; live progress for ``zoho-harness run``

Imports nothing heavy here: the pytest plugin loads in every pytest run of the project.
"""
