-- The application API, part 2 (promotions, succession, org health, ML, engagement, metrics):
-- what the schema lacked for those workflows.
--
-- * A promotion recommendation's readiness may be NEEDS_DEVELOPMENT (the platform's scoring
--   rule, sql/replaceable/077_api_b_01_scoring.sql); NOT_READY stays valid for older rows.
-- * A promotion decision records who approved or rejected it, when, and their note (the
--   approval workflow, 077_api_b_02_workflows.sql: four eyes, forward only).
-- * survey_participations: that a person answered a survey, never what: an anonymous answer
--   keeps no respondent, so this is how one person answers once, and the audited row that
--   names the acting person of an anonymous answer without linking them to it.
-- * metric_ingestions: one row per POST /api/v1/metrics, naming who sent it and how many lines
--   were accepted (time-series points themselves are not audited row by row).

ALTER TABLE promotion_recommendations DROP CONSTRAINT promotion_recommendations_readiness_check;
ALTER TABLE promotion_recommendations ADD CONSTRAINT promotion_recommendations_readiness_check
    CHECK (readiness IN ('READY_NOW', 'READY_1_YEAR', 'READY_2_YEARS', 'NEEDS_DEVELOPMENT', 'NOT_READY'));

ALTER TABLE promotion_decisions
    ADD COLUMN approved_by uuid,
    ADD COLUMN approved_at timestamptz,
    ADD COLUMN decision_note text CHECK (length(decision_note) <= 2000),
    ADD CONSTRAINT promotion_decisions_approved_by_fkey
        FOREIGN KEY (tenant_id, approved_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (approved_by);
CREATE INDEX promotion_decisions_approved_by_fk_idx ON promotion_decisions (tenant_id, approved_by) WHERE approved_by IS NOT NULL;
COMMENT ON INDEX promotion_decisions_approved_by_fk_idx IS 'FK approved_by -> users: the promotion decisions one person approved or rejected, and the lookup behind ON DELETE of a user row';

CREATE TABLE survey_participations (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    survey_id uuid NOT NULL,
    user_id uuid NOT NULL,
    participated_on date NOT NULL DEFAULT current_date,
    created_at timestamptz NOT NULL DEFAULT date_trunc('day', now()),
    updated_at timestamptz NOT NULL DEFAULT date_trunc('day', now()),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, survey_id) REFERENCES engagement_surveys (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE survey_participations IS '[ml] That a person answered a survey (once), never what they answered';
CREATE UNIQUE INDEX survey_participations_survey_user_key ON survey_participations (tenant_id, survey_id, user_id);
COMMENT ON INDEX survey_participations_survey_user_key IS 'one answer per person and survey; participation counts of a survey; also FK survey_id -> engagement_surveys';
CREATE INDEX survey_participations_user_fk_idx ON survey_participations (tenant_id, user_id);
COMMENT ON INDEX survey_participations_user_fk_idx IS 'FK user_id -> users: the surveys one person answered, and the lookup behind ON DELETE of a user row';

CREATE TABLE metric_ingestions (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    ingested_by uuid,
    lines_total integer NOT NULL CHECK (lines_total >= 0),
    lines_accepted integer NOT NULL CHECK (lines_accepted >= 0),
    lines_rejected integer NOT NULL CHECK (lines_rejected >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (lines_accepted + lines_rejected = lines_total),
    FOREIGN KEY (tenant_id, ingested_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (ingested_by)
);
COMMENT ON TABLE metric_ingestions IS '[timeseries] One metric upload through the API: who sent it and how many lines were accepted';
CREATE INDEX metric_ingestions_time_idx ON metric_ingestions (tenant_id, created_at DESC);
COMMENT ON INDEX metric_ingestions_time_idx IS 'the latest uploads of a tenant';
CREATE INDEX metric_ingestions_ingested_by_fk_idx ON metric_ingestions (tenant_id, ingested_by) WHERE ingested_by IS NOT NULL;
COMMENT ON INDEX metric_ingestions_ingested_by_fk_idx IS 'FK ingested_by -> users: the uploads of one person, and the lookup behind ON DELETE of a user row';

SELECT pms_meta.enable_tenant_rls(t), pms_meta.add_updated_at_trigger(t)
FROM unnest(ARRAY['survey_participations', 'metric_ingestions']::regclass[]) AS t;

-- Every write of these endpoints leaves an audit entry naming the acting person. Survey
-- answers and pulse responses are not audited row by row: an anonymous one would be tied to
-- its writer by the entry; survey_participations is audited instead.
SELECT pms_meta.enable_audit(t)
FROM unnest(ARRAY['promotion_recommendations', 'succession_candidates', 'ml_model_predictions',
                  'ml_models', 'organizational_health_metrics', 'department_health_metrics',
                  'engagement_surveys', 'survey_questions', 'survey_participations',
                  'metric_ingestions']::regclass[]) AS t;
