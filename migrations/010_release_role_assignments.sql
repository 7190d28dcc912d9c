-- A connection on its way out (decommission requested) releases the role
-- assignments it relied on: removing one then drops the link instead of
-- failing on the foreign key. Live connections are protected in the
-- storage layer with a 409 before the delete is tried.
ALTER TABLE connection_role_assignments
    DROP CONSTRAINT connection_role_assignments_role_assignment_fkey,
    ADD CONSTRAINT connection_role_assignments_role_assignment_fkey
        FOREIGN KEY (role_assignment) REFERENCES role_assignments (id) ON DELETE CASCADE;
