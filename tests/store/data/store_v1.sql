-- A presslens store at schema version 1 (articles + full-text index), frozen as shipped.
-- Never regenerate this file from the code: it stands for stores written by old releases.
CREATE TABLE articles (
    seq INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    id TEXT NOT NULL UNIQUE,
    source TEXT,
    url TEXT,
    title TEXT,
    published TEXT,
    author TEXT,
    origin TEXT NOT NULL DEFAULT '',
    source_from TEXT NOT NULL DEFAULT 'unknown',
    text TEXT NOT NULL,
    word_count INTEGER NOT NULL,
    removed TEXT NOT NULL DEFAULT '[]',
    cleaned INTEGER NOT NULL DEFAULT 0,
    extra TEXT NOT NULL DEFAULT '{}',
    syndication_group TEXT,
    original INTEGER,
    added_at TEXT NOT NULL
);
CREATE INDEX articles_source ON articles (source, seq);

CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text,
    content = 'articles', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.seq, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
END;

INSERT INTO articles (key, id, source, url, title, published, author, origin, source_from,
    text, word_count, removed, cleaned, extra, syndication_group, original, added_at)
VALUES
    ('1111111111111111111111111111111111111111111111111111111111111111', 'old1', 'wire',
     'https://wire.example/1', 'Grain talks resume', '2024-03-01', 'A. Writer', 'in.jsonl:1',
     'jsonl', 'Ships left Odesa with wheat.', 5,
     '[{"line": "Subscribe now", "reason": "boilerplate"}]', 1, '{"lang": "en"}', NULL, NULL,
     '2024-03-01T10:00:00.000+00:00'),
    ('2222222222222222222222222222222222222222222222222222222222222222', 'old2', 'daily',
     NULL, NULL, NULL, NULL, '', 'unknown', 'Wheat prices fell in Zürich.', 5, '[]', 0, '{}',
     'g1', 1, '2024-03-01T10:00:01.000+00:00');
PRAGMA user_version = 1;
