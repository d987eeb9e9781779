"""Reports keep no models of their own: generated files are jobs (jobs.models.Job)."""
