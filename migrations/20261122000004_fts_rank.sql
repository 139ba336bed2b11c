-- Let `ORDER BY rank` rank search results: bm25 with a match in the prompt
-- worth five times one in the answer and key points twice. Using the
-- built-in rank column lets FTS5 rank without a per-row function call.
INSERT INTO questions_fts (questions_fts, rank) VALUES ('rank', 'bm25(10.0, 2.0, 4.0)');
