"""The yearly SOSE campaign of an Ambito: a template and year with its milestones, its expected Comuni, the
reminders sent, and the approval of the Ambito's set by its Regione."""
