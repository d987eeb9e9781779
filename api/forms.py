"""The form that creates a personal API token."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalForm

DURATE = [("", _("Finché non lo revoco")), ("30", _("30 giorni")), ("90", _("90 giorni")), ("365", _("Un anno"))]


class TokenAPIForm(PortalForm):
    nome = forms.CharField(
        label=_("Nome del token"),
        max_length=100,
        help_text=_("Per riconoscerlo, ad esempio «Gestionale dei servizi sociali»"),
    )
    durata = forms.ChoiceField(label=_("Validità"), choices=DURATE, required=False)

    def clean_nome(self) -> str:
        nome = self.cleaned_data["nome"].strip()
        if not nome:
            raise forms.ValidationError(_("Indicare il nome del token."))
        return nome

    @property
    def giorni(self) -> int | None:
        durata = self.cleaned_data.get("durata")
        return int(durata) if durata else None
