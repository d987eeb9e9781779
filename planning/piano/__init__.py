"""Piano di Zona: views, forms, tables, filtersets, services, card rendering and demo data."""
