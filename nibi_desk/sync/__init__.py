"""Exchange between places: signed bundles (.nibx), the pure per-field merge, import and export (docs/bundle.md)."""
