-- depthflow schema, migration 4: numbers that did not fit their column.
-- Idempotent like V001 (IF NOT EXISTS / OR REPLACE); never edit an applied migration.
--
-- levels was UInt16: a walk or a $100k slice over a thin book with more than 65,535 levels
-- (92,122 were seen) was stored modulo 65,536 (26,586) while length(prices) kept the truth.
-- UInt32 holds any count of levels a book can have. Widening an unsigned integer keeps every
-- stored value; a row that already wrapped stays wrong (order_book_slices: length(prices) is the
-- true count).
ALTER TABLE execution_quotes_1m MODIFY COLUMN IF EXISTS levels UInt32;

ALTER TABLE order_book_slices MODIFY COLUMN IF EXISTS levels UInt32;
