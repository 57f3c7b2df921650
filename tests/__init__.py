"""labdocs tests: they mirror the modules they test."""
