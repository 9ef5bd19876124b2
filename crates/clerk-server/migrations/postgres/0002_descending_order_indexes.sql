-- Orderings of GET /v1/users put NULLs last in both directions. A B-tree read backwards
-- gives DESC NULLS FIRST, so on PostgreSQL a descending order on a nullable column could
-- not use the ascending index and sorted the whole table on every request. These indexes
-- serve the descending orders (SQLite reads one index both ways and needs none).

CREATE INDEX users_first_name_desc ON users (first_name DESC NULLS LAST, seq DESC);
CREATE INDEX users_last_name_desc ON users (last_name DESC NULLS LAST, seq DESC);
CREATE INDEX users_username_order_desc ON users (username DESC NULLS LAST, seq DESC);
CREATE INDEX users_sort_email_desc ON users (sort_email DESC NULLS LAST, seq DESC);
CREATE INDEX users_sort_phone_desc ON users (sort_phone DESC NULLS LAST, seq DESC);
CREATE INDEX users_sort_web3_desc ON users (sort_web3 DESC NULLS LAST, seq DESC);
CREATE INDEX users_last_active_at_desc ON users (last_active_at DESC NULLS LAST, seq DESC);
CREATE INDEX users_last_sign_in_at_desc ON users (last_sign_in_at DESC NULLS LAST, seq DESC);
