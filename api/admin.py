from django.contrib import admin

from .models import TokenAPI


@admin.register(TokenAPI)
class TokenAPIAdmin(admin.ModelAdmin):
    list_display = ["nome", "utente", "prefisso", "creato_il", "usato_il", "scade_il", "revocato_il"]
    list_select_related = ["utente"]
    search_fields = ["nome", "utente__username", "prefisso"]
    readonly_fields = ["prefisso", "hash_segreto", "creato_il", "usato_il"]
