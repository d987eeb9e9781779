"""The Piano di Zona as documents: the PDF (`pdf.py`, from `document.py` and one builder per chapter type in
`chapters/`) and the workbook (`xlsx/`), both cached by the fingerprint of the data they read (`fingerprint.py`)."""
