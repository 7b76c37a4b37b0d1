"""``zoho-harness``: the scenario runner's command line (arrives with the runner issue)."""
from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Run setup-and-link scenarios against an emulated (or the real) Zoho Books."""


if __name__ == "__main__":  # pragma: no cover
    main()
