"""The routers of the API, one per domain; each reads through accounts.scoping (out of scope: 404)."""
