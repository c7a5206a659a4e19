"""Files in and out: plan JSON, iCalendar, PDF."""
