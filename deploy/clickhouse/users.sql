-- depthflow's ClickHouse roles: least privilege for the job, read-only for BI and Grafana.
--
-- Apply on a real server as an administrator (a user with access management), in the database
-- that holds depthflow's tables, after the migrations have created them:
--
--   clickhouse-client --multiquery --database default -u admin --password ... < deploy/clickhouse/users.sql
--
-- Table names are unqualified on purpose: they resolve to the --database above. The file holds no
-- user and no password; create users with a password from your secret store and grant them a role
-- (deploy/clickhouse/initdb/900-depthflow-users.sh does exactly that for docker-compose):
--
--   CREATE USER depthflow_job IDENTIFIED WITH sha256_hash BY '<hex sha256 of the password>'
--       DEFAULT ROLE depthflow_writer;   -- after GRANT depthflow_writer TO depthflow_job
--
-- Idempotent: every role is emptied (REVOKE ALL) and granted again, so re-applying this file after
-- an upgrade leaves exactly the privileges below. On a cluster, add ON CLUSTER '<name>' to each
-- statement or use replicated access storage (user_directories/replicated).
--
-- The read-only profile lets Grafana's ClickHouse plugin set max_execution_time (its query
-- timeout) under readonly = 1. CHANGEABLE_IN_READONLY needs the server setting
-- access_control_improvements.settings_constraints_replace_previous = true
-- (deploy/clickhouse/config.d/depthflow.xml); without it, use readonly = 2 instead.

CREATE ROLE IF NOT EXISTS depthflow_writer;
CREATE ROLE IF NOT EXISTS depthflow_reader;
CREATE ROLE IF NOT EXISTS depthflow_dashboard;
CREATE ROLE IF NOT EXISTS depthflow_migrator;

CREATE SETTINGS PROFILE IF NOT EXISTS depthflow_readonly;
ALTER SETTINGS PROFILE depthflow_readonly SETTINGS
    readonly = 1,
    max_execution_time = 60 MIN 1 MAX 600 CHANGEABLE_IN_READONLY,
    max_result_rows = 1000000,
    result_overflow_mode = 'throw';

-- The job: INSERT into the nine tables its sinks write, and SELECT on the migration history, which
-- is all its start-up schema check reads once the migrations are applied. No DDL, no SELECT on data.
REVOKE ALL ON *.* FROM depthflow_writer;
GRANT INSERT ON raw_order_books TO depthflow_writer;
GRANT INSERT ON ingest_errors TO depthflow_writer;
GRANT INSERT ON order_book_slices TO depthflow_writer;
GRANT INSERT ON mid_price_1m TO depthflow_writer;
GRANT INSERT ON execution_quotes_1m TO depthflow_writer;
GRANT INSERT ON best_execution_1m TO depthflow_writer;
GRANT INSERT ON routed_execution_1m TO depthflow_writer;
GRANT INSERT ON liquidity_bands_1m TO depthflow_writer;
GRANT INSERT ON arbitrage_1m TO depthflow_writer;
GRANT SELECT ON depthflow_schema_migrations TO depthflow_writer;

-- BI: the views (the contract) and the tables behind them; views run with the invoker's
-- rights (SQL SECURITY INVOKER, the default), so the tables need SELECT too. Read-only profile.
REVOKE ALL ON *.* FROM depthflow_reader;
GRANT SELECT ON bi_mid_price_1m TO depthflow_reader;
GRANT SELECT ON bi_best_execution_1m TO depthflow_reader;
GRANT SELECT ON mid_price_1m TO depthflow_reader;
GRANT SELECT ON best_execution_1m TO depthflow_reader;
GRANT SELECT ON bi_best_execution_all_in_1m TO depthflow_reader;
GRANT SELECT ON bi_routed_execution_1m TO depthflow_reader;
GRANT SELECT ON bi_liquidity_1m TO depthflow_reader;
GRANT SELECT ON bi_arbitrage_1m TO depthflow_reader;
GRANT SELECT ON bi_routing_cost_1d TO depthflow_reader;
GRANT SELECT ON execution_quotes_1m TO depthflow_reader;
GRANT SELECT ON routed_execution_1m TO depthflow_reader;
GRANT SELECT ON liquidity_bands_1m TO depthflow_reader;
GRANT SELECT ON arbitrage_1m TO depthflow_reader;
ALTER ROLE depthflow_reader SETTINGS PROFILE 'depthflow_readonly';

-- Grafana's dashboard (deploy/grafana/dashboards/depthflow.json): BI, plus slippage and depth
-- (silver and gold tables) and the ingest errors. Never the raw payloads of raw_order_books.
REVOKE ALL ON *.* FROM depthflow_dashboard;
GRANT depthflow_reader TO depthflow_dashboard;
GRANT SELECT ON execution_quotes_1m TO depthflow_dashboard;
GRANT SELECT ON order_book_slices TO depthflow_dashboard;
GRANT SELECT ON ingest_errors TO depthflow_dashboard;
ALTER ROLE depthflow_dashboard SETTINGS PROFILE 'depthflow_readonly';

-- Schema changes: 'bin/depthflow migrate' (creates tables and views, changes the raw TTL, records
-- the history). Confined to this database; no access management, no other database.
REVOKE ALL ON *.* FROM depthflow_migrator;
GRANT SHOW, SELECT, INSERT, CREATE TABLE, CREATE VIEW, DROP VIEW, ALTER TABLE, ALTER VIEW ON * TO depthflow_migrator;
