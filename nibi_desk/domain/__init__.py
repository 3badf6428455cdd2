"""Domain rules with no storage or UI: codes, coordinates, asset types, validation."""
