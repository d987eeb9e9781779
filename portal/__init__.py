"""The site's own pages, the top floor below the configuration: home, legal pages, health check, the main menu,
the shared template context and the demo loader that orchestrates every app's demo data."""
