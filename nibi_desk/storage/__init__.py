"""SQLite storage: schema migrations, the one writer, versioned rows, queries."""
