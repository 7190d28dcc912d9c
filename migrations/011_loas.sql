-- Letters of authorisation uploaded for connections (IX-API
-- POST /connections/{id}/loa): the latest one is served back by GET; without
-- one, the exchange renders its own.
CREATE TABLE connection_loas (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection bigint NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    pdf bytea NOT NULL CHECK (octet_length(pdf) BETWEEN 8 AND 1048576 AND substr(pdf, 1, 5) = '\x255044462d'::bytea),
    uploaded_by bigint,
    uploaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX connection_loas_connection_idx ON connection_loas (connection, id DESC);
