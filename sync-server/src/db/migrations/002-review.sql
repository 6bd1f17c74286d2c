-- Lägesbild schema 2: the review step.
-- Duplicate candidates are looked up by category within a time window around the report's instant.
CREATE INDEX reports_category_occurred ON reports(category, occurred_at);
