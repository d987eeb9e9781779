"""The Italian codice fiscale of a person: shape and check character (plain Python, no Django).

16 characters: surname (3 letters), name (3), year (2 digits), month (a letter of ABCDEHLMPRST), day (2 digits,
+40 for women), place (a letter and 3 digits), check character. In a homocody ("omocodia") the Agenzia delle
Entrate replaces digits, from the right, with the letters LMNPQRSTUV: they are accepted where a digit may stand.
"""

from __future__ import annotations

import re

_DIGIT = "[0-9LMNPQRSTUV]"
SHAPE = re.compile(rf"^[A-Z]{{6}}{_DIGIT}{{2}}[ABCDEHLMPRST]{_DIGIT}{{2}}[A-Z]{_DIGIT}{{3}}[A-Z]$")
_ODD_DIGITS = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21]  # 0-9, and A-J likewise
_ODD_LETTERS = [*_ODD_DIGITS, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]  # A-Z
_ODD = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", _ODD_DIGITS + _ODD_LETTERS, strict=True))
_EVEN = {**{str(d): d for d in range(10)}, **{chr(65 + i): i for i in range(26)}}


def normalize(value: str) -> str:
    """The code as stored: spaces removed, uppercase, the SPID/CIE prefix «TINIT-» dropped."""
    code = "".join(value.split()).upper()
    return code.removeprefix("TINIT-")


def check_character(first15: str) -> str:
    """The check character of the first 15 characters (odd positions weigh by the table, even by their value)."""
    total = sum((_ODD if index % 2 == 0 else _EVEN)[char] for index, char in enumerate(first15))
    return chr(65 + total % 26)


def problem(code: str) -> str | None:
    """What is wrong with `code` (normalized), in Italian, or None when it is a valid codice fiscale."""
    if len(code) != 16:
        return f"Il codice fiscale deve avere 16 caratteri: ne ha {len(code)}."
    if code != code.upper():
        return "Il codice fiscale va scritto in maiuscolo."
    if not SHAPE.match(code):
        return (
            "Il codice fiscale non ha la forma prevista (6 lettere, 2 cifre, la lettera del mese, 2 cifre, "
            "una lettera e 3 cifre, il carattere di controllo)."
        )
    expected = check_character(code[:15])
    if code[15] != expected:
        return f"Il carattere di controllo (16°) è «{code[15]}»: per questo codice dovrebbe essere «{expected}»."
    return None
