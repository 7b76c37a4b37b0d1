from .cli import main

main(prog_name="python -m mock_zoho")
