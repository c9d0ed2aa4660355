"""Following the news as it happens: ``presslens watch`` polls feeds and front pages in
rounds and ingests what is new or corrected; ``presslens changes`` says what changed since a
time.  See :mod:`presslens.watch.watcher` for a round, :mod:`presslens.watch.fetch` for the
HTTP manners, :mod:`presslens.watch.changes` for the changes document."""
