"""The Plan section: enrolments and scheduled runs, and the reminders of the next one."""
