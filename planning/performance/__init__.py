"""The performance plan of the social sector (seed 004): pages, forms, services, demo data."""
