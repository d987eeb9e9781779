"""Jobs in the admin: read the state of the queue."""

from django.contrib import admin

from .models import Job, Richiesta


class RichiestaInline(admin.TabularInline):
    model = Richiesta
    extra = 0
    raw_id_fields = ["utente"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["titolo", "kind", "stato", "passo", "passi", "tentativi", "dimensione", "creato_il"]
    list_filter = ["stato", "kind"]
    search_fields = ["titolo", "chiave"]
    readonly_fields = ["chiave", "task_id", "battito_il", "accodato_il", "avviato_il", "completato_il"]
    inlines = [RichiestaInline]
