"""Commands: one function per user action, taking an explicit context; testable without widgets."""
