"""Personal API tokens in the admin: seen and revoked, never created there."""

from django.contrib import admin

from core.admin_lists import CompactListMixin

from .models import TokenAPI


@admin.register(TokenAPI)
class TokenAPIAdmin(CompactListMixin, admin.ModelAdmin):
    """Tokens are created by their user (the secret is shown only to them); the admin sees and revokes them."""

    list_display = ["nome", "utente", "prefisso", "creato_il", "usato_il", "scade_il", "revocato_il"]
    list_select_related = ["utente"]
    search_fields = ["nome", "utente__username", "prefisso"]
    readonly_fields = ["utente", "nome", "prefisso", "hash_segreto", "creato_il", "usato_il"]

    def has_add_permission(self, request) -> bool:
        return False
