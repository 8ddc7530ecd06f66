-- Comments on the foundation's tables and indexes. Every table comment starts with its domain
-- in brackets and every non-primary-key index says which access path it serves: `pms schema doc`
-- builds docs/SCHEMA.md from these comments, and a catalog test refuses an index without one.

COMMENT ON TABLE tenants IS '[identity] Customers of the platform; the only table without tenant_id (a tenant sees only its own row)';
COMMENT ON TABLE business_units IS '[identity] Business units: the top level of the organisation';
COMMENT ON TABLE cost_centers IS '[identity] Cost centres with their budget, optionally within a business unit';
COMMENT ON TABLE departments IS '[identity] Departments, nested, with head, business unit and cost centre';
COMMENT ON TABLE users IS '[identity] People of a tenant: account, position in the hierarchy, employment';
COMMENT ON TABLE teams IS '[identity] Teams (functional, project, cross-functional, virtual)';
COMMENT ON TABLE team_members IS '[identity] Membership of people in teams over time';
COMMENT ON TABLE reporting_lines IS '[identity] Solid and dotted reporting lines over time (matrix organisations)';
COMMENT ON TABLE roles IS '[identity] Roles and their permissions';
COMMENT ON TABLE user_roles IS '[identity] Roles granted to people';
COMMENT ON TABLE sessions IS '[identity] Login sessions (token hashes only)';
COMMENT ON TABLE access_policies IS '[identity] Attribute-based access rules per role, resource and action';
COMMENT ON TABLE delegations IS '[identity] Temporary delegation of approvals or reviews to another person';

COMMENT ON INDEX tenants_slug_key IS 'tenant lookup by slug (login URL, CLI)';
COMMENT ON INDEX tenants_domain_key IS 'tenant lookup by email domain (single sign-on routing)';
COMMENT ON INDEX business_units_tenant_id_code_key IS 'business unit lookup by code';
COMMENT ON INDEX business_units_head_idx IS 'FK head_id -> users: units a person heads';
COMMENT ON INDEX cost_centers_tenant_id_code_key IS 'cost centre lookup by code';
COMMENT ON INDEX cost_centers_business_unit_idx IS 'FK business_unit_id -> business_units: cost centres of a unit';
COMMENT ON INDEX departments_tenant_id_code_key IS 'department lookup by code';
COMMENT ON INDEX departments_parent_idx IS 'the department tree: children of a department; FK parent_id -> departments';
COMMENT ON INDEX departments_business_unit_idx IS 'FK business_unit_id -> business_units: departments of a unit';
COMMENT ON INDEX departments_cost_center_idx IS 'FK cost_center_id -> cost_centers: departments charged to a cost centre';
COMMENT ON INDEX departments_head_idx IS 'FK head_id -> users: departments a person heads';
COMMENT ON INDEX users_active_email_key IS 'login: the live account of an email in a tenant (partial: deleted accounts free the email)';
COMMENT ON INDEX users_employee_number_key IS 'HRIS sync: person by employee number';
COMMENT ON INDEX users_department_idx IS 'people of a department; FK department_id -> departments';
COMMENT ON INDEX users_business_unit_idx IS 'people of a business unit; FK business_unit_id -> business_units';
COMMENT ON INDEX users_cost_center_idx IS 'people charged to a cost centre; FK cost_center_id -> cost_centers';
COMMENT ON INDEX users_manager_idx IS 'direct reports of a manager (org chart walk); FK manager_id -> users';
COMMENT ON INDEX users_status_idx IS 'live people by employment status (active headcount, invitations)';
COMMENT ON INDEX teams_tenant_id_code_key IS 'team lookup by code';
COMMENT ON INDEX teams_department_idx IS 'teams of a department; FK department_id -> departments';
COMMENT ON INDEX teams_lead_idx IS 'teams a person leads; FK lead_id -> users';
COMMENT ON INDEX team_members_current_key IS 'one current membership per person and team';
COMMENT ON INDEX team_members_team_idx IS 'members of a team; FK team_id -> teams';
COMMENT ON INDEX team_members_user_idx IS 'teams of a person; FK user_id -> users';
COMMENT ON INDEX reporting_lines_primary_key IS 'one current primary line per employee';
COMMENT ON INDEX reporting_lines_employee_idx IS 'the managers of a person (solid and dotted); FK employee_id -> users';
COMMENT ON INDEX reporting_lines_manager_idx IS 'everyone reporting to a manager, with line type from the index; FK manager_id -> users';
COMMENT ON INDEX roles_tenant_id_code_key IS 'role lookup by code';
COMMENT ON INDEX user_roles_tenant_id_user_id_role_id_key IS 'a person''s roles (authorisation on every request); one grant per role; FK user_id -> users';
COMMENT ON INDEX user_roles_role_idx IS 'holders of a role; FK role_id -> roles';
COMMENT ON INDEX user_roles_granted_by_idx IS 'grants made by a person; FK granted_by -> users';
COMMENT ON INDEX sessions_token_hash_key IS 'session lookup by token hash on every request';
COMMENT ON INDEX sessions_user_active_idx IS 'a person''s live sessions (sign out everywhere); FK user_id -> users';
COMMENT ON INDEX sessions_expires_idx IS 'the expiry job: sessions past their expiry, across tenants';
COMMENT ON INDEX access_policies_tenant_id_name_key IS 'policy lookup by name';
COMMENT ON INDEX access_policies_role_idx IS 'policies of a role; FK role_id -> roles';
COMMENT ON INDEX access_policies_lookup_idx IS 'authorisation: active rules for a resource and action, by priority';
COMMENT ON INDEX delegations_delegator_idx IS 'delegations a person made; FK delegator_id -> users';
COMMENT ON INDEX delegations_delegate_idx IS 'live delegations a person holds (acting on behalf); FK delegate_id -> users';
