"""The `nibi` command line."""
