"""The 20 Italian Regioni with their ISTAT codes (reference data, as in ISTAT's list of the Comuni)."""

from __future__ import annotations

REGIONI: dict[str, str] = {
    "01": "Piemonte",
    "02": "Valle d'Aosta/Vallée d'Aoste",
    "03": "Lombardia",
    "04": "Trentino-Alto Adige/Südtirol",
    "05": "Veneto",
    "06": "Friuli-Venezia Giulia",
    "07": "Liguria",
    "08": "Emilia-Romagna",
    "09": "Toscana",
    "10": "Umbria",
    "11": "Marche",
    "12": "Lazio",
    "13": "Abruzzo",
    "14": "Molise",
    "15": "Campania",
    "16": "Puglia",
    "17": "Basilicata",
    "18": "Calabria",
    "19": "Sicilia",
    "20": "Sardegna",
}


def _key(name: str) -> str:
    return name.split("/")[0].strip().casefold().replace("-", " ").replace("'", " ")


_BY_KEY = {_key(nome): codice for codice, nome in REGIONI.items()}


def codice_regione(nome: str) -> str | None:
    """The ISTAT code of a Regione from its name, as written in ISTAT's list or in its Italian part only
    ("Valle d'Aosta", "Trentino-Alto Adige", "Emilia Romagna"); None when the name is not a Regione."""
    return _BY_KEY.get(_key(nome))
