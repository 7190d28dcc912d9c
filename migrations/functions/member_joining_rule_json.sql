-- One member joining rule as IX-API shows it (reads of one object, the write
-- paths' events): member_joining_rules_render() applied to one row, so that a
-- list and a single object cannot differ.
CREATE OR REPLACE FUNCTION member_joining_rule_json(r member_joining_rules) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT x.j FROM member_joining_rules_render(ARRAY[r]) x
$$;
