"""Context facts of an Ambito (social spending, printed totals): pages, forms, tables, demo data."""
