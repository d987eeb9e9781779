"""Forms of the territory."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PopolazioneImportForm(forms.Form):
    file = forms.FileField(
        label=_("File CSV ISTAT della popolazione per età"),
        help_text=_(
            "Colonne: Codice comune, Comune, Età, Totale maschi, Totale femmine, Totale (Età 999 = totale). "
            "Separatore ; oppure , — è ammessa una riga di titolo."
        ),
    )
    anno = forms.IntegerField(label=_("Anno di riferimento"), min_value=1990, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anno"].initial = timezone.now().year

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("Il file supera i 20 MB."))
        return upload
