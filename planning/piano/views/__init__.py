"""Pages of the Piano di Zona, by page family: the plans (plans), chapters, areas and objectives (structure), the
intervention cards (interventions), the plan's tables with exports (lists), the network sections and the
catalogues (sections). Every object comes through accounts.scoping (mixins): what is outside the user's Ambiti
answers 404; edit pages require EDIT (Ufficio di Piano), so the Dirigente gets 404 there too."""
