"""Pages of the schede, by topic.

* :mod:`.schede` - index, new scheda, Ambito overview, scheda summary, history;
* :mod:`.quadro` - data entry of a quadro and the live computation;
* :mod:`.workflow` - «Invia» and its confirmation, justifications, the other status transitions;
* :mod:`.exchange` - Excel download and upload, PDF download.
"""
