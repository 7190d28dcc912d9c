-- Scrubs secrets stored before the events and jobs triggers existed (migration
-- 015 runs it once): rewriting a value makes the triggers replace its
-- "password" keys.
CREATE OR REPLACE FUNCTION scrub_stored_secrets() RETURNS void LANGUAGE sql AS $$
    UPDATE events SET old_value = old_value, new_value = new_value
     WHERE strpos(old_value::text, '"password"') > 0 OR strpos(new_value::text, '"password"') > 0;
    UPDATE jobs SET payload = payload WHERE strpos(payload::text, '"password"') > 0;
$$;
