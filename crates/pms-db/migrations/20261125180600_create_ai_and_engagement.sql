-- AI and ML (features 41-45): models and their predictions, engagement surveys, questions and
-- responses, pulse responses, engagement scores and events, sentiment analyses and trends,
-- productivity predictions, anomaly detections and patterns, benchmarks and comparisons, and a
-- small feature store (feature definitions and values).

CREATE TABLE ml_models (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (name ~ '^[a-z0-9_]+$'),
    version text NOT NULL,
    model_type text NOT NULL DEFAULT 'ATTRITION_RISK' CHECK (model_type IN ('ATTRITION_RISK', 'PERFORMANCE_FORECAST', 'PROMOTION_READINESS', 'SENTIMENT', 'PRODUCTIVITY', 'ANOMALY', 'ENGAGEMENT')),
    status text NOT NULL DEFAULT 'TRAINING' CHECK (status IN ('TRAINING', 'ACTIVE', 'SHADOW', 'RETIRED')),
    metrics jsonb NOT NULL DEFAULT '{}',
    trained_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
COMMENT ON TABLE ml_models IS '[ml] Registered ML models and versions';
CREATE UNIQUE INDEX ml_models_name_version_key ON ml_models (tenant_id, name, version);
COMMENT ON INDEX ml_models_name_version_key IS 'a model by name and version';
CREATE INDEX ml_models_active_type_idx ON ml_models (tenant_id, model_type) WHERE status = 'ACTIVE';
COMMENT ON INDEX ml_models_active_type_idx IS 'the active model for a prediction type';

CREATE TABLE ml_model_predictions (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    model_id uuid NOT NULL,
    user_id uuid NOT NULL,
    prediction_type text NOT NULL,
    score numeric(6, 4) NOT NULL,
    confidence numeric(5, 4) CHECK (confidence BETWEEN 0 AND 1),
    label text,
    explanation jsonb NOT NULL DEFAULT '{}',
    predicted_at timestamptz NOT NULL DEFAULT now(),
    valid_until timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, model_id) REFERENCES ml_models (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE ml_model_predictions IS '[ml] Predictions a model made about a person (attrition risk, readiness, ...)';
CREATE INDEX ml_model_predictions_user_type_idx ON ml_model_predictions (tenant_id, user_id, prediction_type, predicted_at DESC) INCLUDE (score);
COMMENT ON INDEX ml_model_predictions_user_type_idx IS 'the latest prediction of a type for a person; also FK user_id -> users';
CREATE INDEX ml_model_predictions_type_score_idx ON ml_model_predictions (tenant_id, prediction_type, score DESC);
COMMENT ON INDEX ml_model_predictions_type_score_idx IS 'highest-risk people for a prediction type (attrition watch list)';
CREATE INDEX ml_model_predictions_model_time_idx ON ml_model_predictions (tenant_id, model_id, predicted_at DESC);
COMMENT ON INDEX ml_model_predictions_model_time_idx IS 'predictions made by a model version (drift checks); also FK model_id -> ml_models';

CREATE TABLE engagement_surveys (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    title text NOT NULL,
    survey_type text NOT NULL DEFAULT 'ENGAGEMENT' CHECK (survey_type IN ('ENGAGEMENT', 'PULSE', 'ONBOARDING', 'EXIT', 'CUSTOM')),
    status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'OPEN', 'CLOSED', 'ARCHIVED')),
    is_anonymous boolean NOT NULL DEFAULT true,
    min_respondents smallint NOT NULL DEFAULT 5 CHECK (min_respondents >= 1),
    opens_at timestamptz,
    closes_at timestamptz,
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (created_by)
);
COMMENT ON TABLE engagement_surveys IS '[ml] Engagement and pulse surveys';
CREATE INDEX engagement_surveys_status_idx ON engagement_surveys (tenant_id, status, closes_at) WHERE deleted_at IS NULL;
COMMENT ON INDEX engagement_surveys_status_idx IS 'open surveys by closing time';
CREATE INDEX engagement_surveys_created_by_fk_idx ON engagement_surveys (tenant_id, created_by) WHERE created_by IS NOT NULL;
COMMENT ON INDEX engagement_surveys_created_by_fk_idx IS 'FK created_by -> users: the engagement surveys of one user, and the lookup behind ON DELETE of a user row';

CREATE TABLE survey_questions (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    survey_id uuid NOT NULL,
    position smallint NOT NULL DEFAULT 0,
    prompt text NOT NULL,
    answer_type text NOT NULL DEFAULT 'LIKERT_5' CHECK (answer_type IN ('LIKERT_5', 'ENPS_10', 'TEXT', 'CHOICE')),
    driver text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, survey_id) REFERENCES engagement_surveys (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE survey_questions IS '[ml] Questions of an engagement survey';
CREATE INDEX survey_questions_survey_position_idx ON survey_questions (tenant_id, survey_id, position);
COMMENT ON INDEX survey_questions_survey_position_idx IS 'the questions of a survey in order; also FK survey_id -> engagement_surveys';

CREATE TABLE survey_responses (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    survey_id uuid NOT NULL,
    question_id uuid NOT NULL,
    respondent_id uuid,
    department_id uuid,
    rating smallint CHECK (rating BETWEEN 0 AND 10),
    answer_text text,
    submitted_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (rating IS NOT NULL OR answer_text IS NOT NULL),
    FOREIGN KEY (tenant_id, survey_id) REFERENCES engagement_surveys (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, question_id) REFERENCES survey_questions (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, respondent_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (respondent_id),
    FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE SET NULL (department_id)
);
COMMENT ON TABLE survey_responses IS '[ml] Answers to survey questions (respondent hidden when the survey is anonymous)';
CREATE INDEX survey_responses_survey_question_idx ON survey_responses (tenant_id, survey_id, question_id) INCLUDE (rating);
COMMENT ON INDEX survey_responses_survey_question_idx IS 'results per question of a survey; also FK survey_id -> engagement_surveys';
CREATE INDEX survey_responses_question_fk_idx ON survey_responses (tenant_id, question_id);
COMMENT ON INDEX survey_responses_question_fk_idx IS 'FK question_id -> survey_questions: answers to one question, and cascades';
CREATE INDEX survey_responses_department_idx ON survey_responses (tenant_id, department_id, survey_id) WHERE department_id IS NOT NULL;
COMMENT ON INDEX survey_responses_department_idx IS 'survey results by department (threshold-checked); also FK department_id -> departments';
CREATE INDEX survey_responses_respondent_survey_key_idx ON survey_responses (tenant_id, respondent_id, survey_id) WHERE respondent_id IS NOT NULL;
COMMENT ON INDEX survey_responses_respondent_survey_key_idx IS 'has this person answered (reminders); also FK respondent_id -> users';

CREATE TABLE pulse_responses (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid,
    survey_id uuid,
    mood smallint NOT NULL CHECK (mood BETWEEN 1 AND 5),
    comment text,
    responded_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (user_id),
    FOREIGN KEY (tenant_id, survey_id) REFERENCES engagement_surveys (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE pulse_responses IS '[ml] Quick pulse check-ins: mood and a short comment';
CREATE INDEX pulse_responses_user_time_idx ON pulse_responses (tenant_id, user_id, responded_at DESC) WHERE user_id IS NOT NULL;
COMMENT ON INDEX pulse_responses_user_time_idx IS 'a person''s pulse history; also FK user_id -> users';
CREATE INDEX pulse_responses_time_idx ON pulse_responses (tenant_id, responded_at DESC) INCLUDE (mood);
COMMENT ON INDEX pulse_responses_time_idx IS 'tenant mood over time';
CREATE INDEX pulse_responses_survey_fk_idx ON pulse_responses (tenant_id, survey_id) WHERE survey_id IS NOT NULL;
COMMENT ON INDEX pulse_responses_survey_fk_idx IS 'FK survey_id -> engagement_surveys: the pulse responses of one engagement survey, and the lookup behind ON DELETE of a engagement survey row';

CREATE TABLE engagement_scores (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid,
    department_id uuid,
    period_start date NOT NULL,
    driver text NOT NULL DEFAULT 'overall',
    score numeric(5, 2) NOT NULL CHECK (score BETWEEN 0 AND 100),
    enps smallint CHECK (enps BETWEEN -100 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (num_nonnulls(user_id, department_id) <= 1),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE engagement_scores IS '[ml] Engagement score per person or department and period, by driver';
CREATE INDEX engagement_scores_user_period_idx ON engagement_scores (tenant_id, user_id, period_start DESC) WHERE user_id IS NOT NULL;
COMMENT ON INDEX engagement_scores_user_period_idx IS 'a person''s engagement over time; also FK user_id -> users';
CREATE INDEX engagement_scores_department_period_idx ON engagement_scores (tenant_id, department_id, period_start DESC) WHERE department_id IS NOT NULL;
COMMENT ON INDEX engagement_scores_department_period_idx IS 'a department''s engagement over time; also FK department_id -> departments';

CREATE TABLE engagement_events (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    event_type text NOT NULL CHECK (event_type IN ('RECOGNITION', 'PROMOTION', 'MANAGER_CHANGE', 'REORG', 'SURVEY', 'TRAINING', 'OTHER')),
    impact numeric(4, 2),
    occurred_at timestamptz NOT NULL,
    details jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE engagement_events IS '[ml] Events that move engagement (recognition, promotion, reorg, manager change)';
CREATE INDEX engagement_events_user_time_idx ON engagement_events (tenant_id, user_id, occurred_at DESC);
COMMENT ON INDEX engagement_events_user_time_idx IS 'engagement timeline of a person; also FK user_id -> users';

CREATE TABLE sentiment_analyses (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    source_type text NOT NULL CHECK (source_type IN ('FEEDBACK', 'SURVEY_RESPONSE', 'REVIEW', 'ONE_ON_ONE', 'PULSE')),
    source_id uuid NOT NULL,
    user_id uuid,
    score numeric(4, 3) NOT NULL CHECK (score BETWEEN -1 AND 1),
    label text NOT NULL DEFAULT 'NEGATIVE' CHECK (label IN ('NEGATIVE', 'NEUTRAL', 'POSITIVE', 'MIXED')),
    emotions jsonb NOT NULL DEFAULT '{}',
    analyzed_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE sentiment_analyses IS '[ml] Sentiment computed on a piece of text (feedback, survey answer, review)';
CREATE UNIQUE INDEX sentiment_analyses_source_key ON sentiment_analyses (tenant_id, source_type, source_id);
COMMENT ON INDEX sentiment_analyses_source_key IS 'the sentiment of one source item (idempotent re-analysis)';
CREATE INDEX sentiment_analyses_user_time_idx ON sentiment_analyses (tenant_id, user_id, analyzed_at DESC) WHERE user_id IS NOT NULL;
COMMENT ON INDEX sentiment_analyses_user_time_idx IS 'sentiment of text about/by a person over time; also FK user_id -> users';

CREATE TABLE sentiment_trends (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    department_id uuid,
    team_id uuid,
    period_start date NOT NULL,
    average_score numeric(4, 3) NOT NULL,
    sample_count integer NOT NULL CHECK (sample_count >= 0),
    direction text NOT NULL DEFAULT 'IMPROVING' CHECK (direction IN ('IMPROVING', 'STABLE', 'DECLINING')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE sentiment_trends IS '[ml] Sentiment aggregated per scope and period';
CREATE INDEX sentiment_trends_department_period_idx ON sentiment_trends (tenant_id, department_id, period_start DESC) WHERE department_id IS NOT NULL;
COMMENT ON INDEX sentiment_trends_department_period_idx IS 'sentiment trend of a department; also FK department_id -> departments';
CREATE INDEX sentiment_trends_team_period_idx ON sentiment_trends (tenant_id, team_id, period_start DESC) WHERE team_id IS NOT NULL;
COMMENT ON INDEX sentiment_trends_team_period_idx IS 'sentiment trend of a team; also FK team_id -> teams';

CREATE TABLE productivity_predictions (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    model_id uuid,
    period_start date NOT NULL,
    predicted_value numeric(8, 3) NOT NULL,
    lower_bound numeric(8, 3),
    upper_bound numeric(8, 3),
    actual_value numeric(8, 3),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, model_id) REFERENCES ml_models (tenant_id, id) ON DELETE SET NULL (model_id)
);
COMMENT ON TABLE productivity_predictions IS '[ml] Forecast productivity per person and period';
CREATE UNIQUE INDEX productivity_predictions_user_period_key ON productivity_predictions (tenant_id, user_id, period_start, model_id) NULLS NOT DISTINCT;
COMMENT ON INDEX productivity_predictions_user_period_key IS 'forecast of a person per period; also FK user_id -> users';
CREATE INDEX productivity_predictions_model_fk_idx ON productivity_predictions (tenant_id, model_id) WHERE model_id IS NOT NULL;
COMMENT ON INDEX productivity_predictions_model_fk_idx IS 'FK model_id -> ml_models: the productivity predictions of one ml model, and the lookup behind ON DELETE of a ml model row';

CREATE TABLE anomaly_patterns (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    code text NOT NULL CHECK (code ~ '^[a-z0-9_]+$'),
    name text NOT NULL,
    description text,
    rule jsonb NOT NULL DEFAULT '{}',
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
COMMENT ON TABLE anomaly_patterns IS '[ml] Named patterns that anomaly detection looks for';
CREATE UNIQUE INDEX anomaly_patterns_code_key ON anomaly_patterns (tenant_id, code);
COMMENT ON INDEX anomaly_patterns_code_key IS 'pattern lookup by code';

CREATE TABLE anomaly_detections (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    pattern_id uuid,
    model_id uuid,
    user_id uuid,
    team_id uuid,
    detected_at timestamptz NOT NULL DEFAULT now(),
    score numeric(6, 4) NOT NULL,
    status text NOT NULL DEFAULT 'NEW' CHECK (status IN ('NEW', 'CONFIRMED', 'FALSE_POSITIVE', 'RESOLVED')),
    details jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, pattern_id) REFERENCES anomaly_patterns (tenant_id, id) ON DELETE SET NULL (pattern_id),
    FOREIGN KEY (tenant_id, model_id) REFERENCES ml_models (tenant_id, id) ON DELETE SET NULL (model_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE anomaly_detections IS '[ml] An anomaly detected for a person or team by a model or pattern';
CREATE INDEX anomaly_detections_new_idx ON anomaly_detections (tenant_id, detected_at DESC) WHERE status = 'NEW';
COMMENT ON INDEX anomaly_detections_new_idx IS 'the triage queue of new detections';
CREATE INDEX anomaly_detections_user_time_idx ON anomaly_detections (tenant_id, user_id, detected_at DESC) WHERE user_id IS NOT NULL;
COMMENT ON INDEX anomaly_detections_user_time_idx IS 'detections about a person; also FK user_id -> users';
CREATE INDEX anomaly_detections_pattern_fk_idx ON anomaly_detections (tenant_id, pattern_id) WHERE pattern_id IS NOT NULL;
COMMENT ON INDEX anomaly_detections_pattern_fk_idx IS 'FK pattern_id -> anomaly_patterns: the anomaly detections of one anomaly pattern, and the lookup behind ON DELETE of a anomaly pattern row';
CREATE INDEX anomaly_detections_model_fk_idx ON anomaly_detections (tenant_id, model_id) WHERE model_id IS NOT NULL;
COMMENT ON INDEX anomaly_detections_model_fk_idx IS 'FK model_id -> ml_models: the anomaly detections of one ml model, and the lookup behind ON DELETE of a ml model row';
CREATE INDEX anomaly_detections_team_fk_idx ON anomaly_detections (tenant_id, team_id) WHERE team_id IS NOT NULL;
COMMENT ON INDEX anomaly_detections_team_fk_idx IS 'FK team_id -> teams: the anomaly detections of one team, and the lookup behind ON DELETE of a team row';

CREATE TABLE benchmarks (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    metric text NOT NULL,
    source text NOT NULL DEFAULT 'INDUSTRY' CHECK (source IN ('INDUSTRY', 'INTERNAL', 'PEER_GROUP')),
    segment text NOT NULL DEFAULT 'all',
    period_start date NOT NULL,
    p25 numeric(14, 4),
    p50 numeric(14, 4) NOT NULL,
    p75 numeric(14, 4),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
COMMENT ON TABLE benchmarks IS '[ml] External or internal benchmark values for a metric (industry, role, level)';
CREATE UNIQUE INDEX benchmarks_metric_segment_key ON benchmarks (tenant_id, metric, source, segment, period_start);
COMMENT ON INDEX benchmarks_metric_segment_key IS 'the benchmark for a metric, source, segment and period';

CREATE TABLE benchmark_comparisons (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    benchmark_id uuid NOT NULL,
    user_id uuid,
    department_id uuid,
    value numeric(14, 4) NOT NULL,
    percentile numeric(5, 2) CHECK (percentile BETWEEN 0 AND 100),
    compared_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, benchmark_id) REFERENCES benchmarks (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE benchmark_comparisons IS '[ml] How a person, team or department compares with a benchmark';
CREATE INDEX benchmark_comparisons_benchmark_idx ON benchmark_comparisons (tenant_id, benchmark_id, percentile);
COMMENT ON INDEX benchmark_comparisons_benchmark_idx IS 'the distribution against one benchmark; also FK benchmark_id -> benchmarks';
CREATE INDEX benchmark_comparisons_user_fk_idx ON benchmark_comparisons (tenant_id, user_id) WHERE user_id IS NOT NULL;
COMMENT ON INDEX benchmark_comparisons_user_fk_idx IS 'FK user_id -> users: the benchmark comparisons of one user, and the lookup behind ON DELETE of a user row';
CREATE INDEX benchmark_comparisons_department_fk_idx ON benchmark_comparisons (tenant_id, department_id) WHERE department_id IS NOT NULL;
COMMENT ON INDEX benchmark_comparisons_department_fk_idx IS 'FK department_id -> departments: the benchmark comparisons of one department, and the lookup behind ON DELETE of a department row';

CREATE TABLE feature_store_features (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (name ~ '^[a-z0-9_]+$'),
    entity_type text NOT NULL DEFAULT 'USER' CHECK (entity_type IN ('USER', 'TEAM', 'DEPARTMENT')),
    value_type text NOT NULL DEFAULT 'NUMBER' CHECK (value_type IN ('NUMBER', 'TEXT', 'BOOLEAN', 'VECTOR')),
    description text,
    ttl_days integer CHECK (ttl_days > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
COMMENT ON TABLE feature_store_features IS '[ml] Feature definitions of the feature store';
CREATE UNIQUE INDEX feature_store_features_name_key ON feature_store_features (tenant_id, entity_type, name);
COMMENT ON INDEX feature_store_features_name_key IS 'feature lookup by entity type and name';

CREATE TABLE feature_store_values (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    feature_id uuid NOT NULL,
    entity_id uuid NOT NULL,
    as_of timestamptz NOT NULL,
    value jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, feature_id) REFERENCES feature_store_features (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE feature_store_values IS '[ml] Feature values per entity, point in time (for training and serving)';
CREATE UNIQUE INDEX feature_store_values_entity_time_key ON feature_store_values (tenant_id, feature_id, entity_id, as_of DESC);
COMMENT ON INDEX feature_store_values_entity_time_key IS 'point-in-time lookup: latest value of a feature for an entity; also FK feature_id -> feature_store_features';
CREATE INDEX feature_store_values_entity_idx ON feature_store_values (tenant_id, entity_id, as_of DESC);
COMMENT ON INDEX feature_store_values_entity_idx IS 'all features of one entity at a time (serving a prediction)';

SELECT pms_meta.enable_tenant_rls(t), pms_meta.add_updated_at_trigger(t)
FROM unnest(ARRAY['ml_models',
                  'ml_model_predictions',
                  'engagement_surveys',
                  'survey_questions',
                  'survey_responses',
                  'pulse_responses',
                  'engagement_scores',
                  'engagement_events',
                  'sentiment_analyses',
                  'sentiment_trends',
                  'productivity_predictions',
                  'anomaly_patterns',
                  'anomaly_detections',
                  'benchmarks',
                  'benchmark_comparisons',
                  'feature_store_features',
                  'feature_store_values']::regclass[]) AS t;
