"""Authentication forms with Italian labels."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


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
