"""The text layer every stage reads news with: words (:mod:`~presslens.text.words`), sentences
and datelines (:mod:`~presslens.text.sentences`) and dates (:mod:`~presslens.text.dates`)."""
