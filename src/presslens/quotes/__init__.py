"""Sentences, entities, quotes with their speakers, and one quote followed across outlets."""
