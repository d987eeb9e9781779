"""Pages of the schede, by topic.

* :mod:`.schede` - index, new scheda, Ambito overview, scheda summary, history;
* :mod:`.quadro` - data entry of a quadro and the live computation;
* :mod:`.workflow` - «Invia» and its confirmation, justifications, the other status transitions;
* :mod:`.exchange` - Excel download and upload, PDF download;
* :mod:`.outliers` - the values outside the Comuni's history, for an Ambito;
* :mod:`.common` - the scheda of a URL (scoped to the user) and the posted version.

The reads behind the pages are in :mod:`monitoring.selectors`, the writes in :mod:`monitoring.services`.
"""
