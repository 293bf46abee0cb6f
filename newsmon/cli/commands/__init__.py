"""One module per ``newsmon`` subcommand (see newsmon/cli.py for the contract)."""
