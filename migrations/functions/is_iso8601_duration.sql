-- Whether d is an ISO 8601 duration (P1M, P2W, P1Y...): the periods of product
-- offerings.
CREATE OR REPLACE FUNCTION is_iso8601_duration(d text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT d ~ '^P(?!$)([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+S)?)?$'
$$;
