"""One builder per chapter type of the plan's document: each takes the plan (and the interventions with their
cards, read once for the whole document) and returns the section its template (templates/reports/pdf/piano/<type>.html)
prints after the chapter's text. The registry of builders by type is `reports.piano.document.BUILDERS`."""
