-- The console's dashboard (docs/dashboard.md): its figures are counted from these tables by period (creation time),
-- so each table is read through an index on its creation time. Rows made by the console's simulator (training and
-- demonstrations) are marked `simulated` by it and are never counted; every real row is `false`.

ALTER TABLE citizens ADD COLUMN simulated boolean NOT NULL DEFAULT false;
ALTER TABLE assisted_requests ADD COLUMN simulated boolean NOT NULL DEFAULT false;
ALTER TABLE handoffs ADD COLUMN simulated boolean NOT NULL DEFAULT false;

CREATE INDEX citizens_created_at ON citizens (created_at);
CREATE INDEX assisted_requests_created_at ON assisted_requests (created_at);
CREATE INDEX handoffs_created_at ON handoffs (created_at);
