"""Directive documents, tasks, assignments, progress and reminders (issue 5)."""
