"""Authentication forms with Italian labels; the codice fiscale of a user."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import codice_fiscale
from .models import Profilo


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Nome utente o password non corretti. Dopo %(limit)s tentativi errati l'accesso viene bloccato "
            "per 15 minuti."
        ),
        "inactive": _("Questo account è disattivato."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Nome utente")
        self.fields["password"].label = _("Password")

    def get_invalid_login_error(self):
        return ValidationError(
            self.error_messages["invalid_login"], code="invalid_login", params={"limit": settings.AXES_FAILURE_LIMIT}
        )


class CodiceFiscaleField(forms.CharField):
    """A codice fiscale as typed: spaces removed and uppercase before the model's validation."""

    def to_python(self, value):
        value = super().to_python(value)
        return codice_fiscale.normalize(value) if value else value


class ProfiloForm(forms.ModelForm):
    """The codice fiscale of a user (admin inline): typed in any case, stored in uppercase."""

    codice_fiscale = CodiceFiscaleField(
        label=_("Codice fiscale"),
        max_length=22,
        help_text=_("16 caratteri: serve per l'accesso con SPID e CIE (può essere scritto anche in minuscolo)."),
    )

    class Meta:
        model = Profilo
        fields = ["codice_fiscale"]
